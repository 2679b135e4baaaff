import type { ProxyPod } from '../props/proxy-class';
import type { ResolvedProxyClassProps } from '../validate/proxy-class';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';
import { TAILSCALE_API_VERSION } from './kube-object';

/**
 * The ProxyClass object: cluster-scoped, so no namespace. The spec is the props in the CRD's own
 * shape; nothing tailkube adds (no tags, no `TS_*` environment).
 */
export function renderProxyClass(props: ResolvedProxyClassProps): KubeObject {
  const { statefulSet, metrics, tailscale, useLetsEncryptStagingEnvironment, staticEndpoints } = props;
  return {
    apiVersion: TAILSCALE_API_VERSION,
    kind: 'ProxyClass',
    metadata: { name: props.name, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      ...(statefulSet && {
        statefulSet: {
          ...(statefulSet.labels && { labels: { ...statefulSet.labels } }),
          ...(statefulSet.annotations && { annotations: { ...statefulSet.annotations } }),
          ...(statefulSet.pod && { pod: renderPod(statefulSet.pod) }),
        },
      }),
      ...(metrics && { metrics }),
      ...(tailscale && { tailscale: { ...tailscale } }),
      ...(useLetsEncryptStagingEnvironment !== undefined && { useLetsEncryptStagingEnvironment }),
      ...(staticEndpoints && { staticEndpoints }),
    },
  };
}

function renderPod(pod: ProxyPod): Record<string, unknown> {
  const { imagePullSecrets, ...rest } = pod;
  return {
    ...rest,
    ...(imagePullSecrets && { imagePullSecrets: imagePullSecrets.map((name) => ({ name })) }),
  };
}
