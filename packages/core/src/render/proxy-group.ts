import { tailnetName } from '../props/operator-tailnet';
import type { ResolvedProxyGroupProps } from '../validate/proxy-group';
import { TAILSCALE_API_VERSION } from './kube-object';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';

/**
 * The ProxyGroup object: cluster-scoped, so no namespace. `replicas`, `tags` and a
 * `kube-apiserver` group's `kubeAPIServer` are always rendered, so the devices and the Tailscale
 * Service are the ones the policy names whatever defaults the operator has.
 */
export function renderProxyGroup(props: ResolvedProxyGroupProps): KubeObject {
  return {
    apiVersion: TAILSCALE_API_VERSION,
    kind: 'ProxyGroup',
    metadata: { name: props.name, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      type: props.type,
      replicas: props.replicas,
      ...(props.hostnamePrefix !== undefined && { hostnamePrefix: props.hostnamePrefix }),
      tags: [...props.tags],
      ...(props.proxyClass && { proxyClass: props.proxyClass.name }),
      ...(props.operatorTailnet !== undefined && { tailnet: tailnetName(props.operatorTailnet) }),
      ...(props.kubeAPIServer && {
        kubeAPIServer: { mode: props.kubeAPIServer.mode, hostname: props.kubeAPIServer.hostname },
      }),
    },
  };
}
