import { compareStrings } from '@tailkube/policy/internal';
import type { TailnetRequirements } from './requirements';
import type { ResolvedProxyGroupPolicyProps } from '../validate/proxy-group-policy';
/** What the policy tells the program: the groups its namespace's Services and Ingresses may name. */
export function proxyGroupPolicyRequirements(
  source: string,
  props: ResolvedProxyGroupPolicyProps,
): TailnetRequirements {
  return {
    source,
    claims: [
      {
        kind: 'proxy-group-allowance',
        field: 'namespace',
        namespace: props.namespace,
        ingress: props.ingress.map((group) => group.name).sort(compareStrings),
        egress: props.egress.map((group) => group.name).sort(compareStrings),
      },
    ],
  };
}
