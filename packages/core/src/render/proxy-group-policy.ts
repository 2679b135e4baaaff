import { compareStrings } from '@tailkube/policy/internal';
import type { ResolvedProxyGroupPolicyProps } from '../validate/proxy-group-policy';
import { TAILSCALE_API_VERSION } from './kube-object';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';

/**
 * The ProxyGroupPolicy object, in its namespace. Both lists are always rendered (sorted): the
 * operator reads an absent list as an empty one, which allows no group of that type, and the
 * object says so.
 */
export function renderProxyGroupPolicy(props: ResolvedProxyGroupPolicyProps): KubeObject {
  return {
    apiVersion: TAILSCALE_API_VERSION,
    kind: 'ProxyGroupPolicy',
    metadata: { name: props.name, namespace: props.namespace, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      ingress: props.ingress.map((group) => group.name).sort(compareStrings),
      egress: props.egress.map((group) => group.name).sort(compareStrings),
    },
  };
}
