import { compareStrings } from '@tailkube/policy/internal';
import type { TailnetRequirements } from './requirements';
import type { ResolvedProxyGroupPolicyProps } from '../validate/proxy-group-policy';
import { OPERATOR_CHART_VERSION } from '../versions';

/**
 * What the policy tells the program: the groups its namespace's Services and Ingresses may name;
 * and, for the report, that the operator's admission rule refuses objects without annotations.
 */
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
    warnings: [annotationlessWarning(source, props.namespace)],
  };
}

/**
 * The ValidatingAdmissionPolicy the operator writes for a ProxyGroupPolicy reads
 * `object.metadata.annotations` without checking that it exists
 * (k8s-operator/reconciler/proxygrouppolicy/proxygrouppolicy.go at v1.102.3), so the API server
 * refuses every Service and Ingress without annotations in the namespace: tailscale/tailscale#20906,
 * fixed after v1.102.3 (#20907).
 */
function annotationlessWarning(source: string, namespace: string): string {
  return (
    `${source}: up to operator v${OPERATOR_CHART_VERSION}, the API server refuses every Service and ` +
    `Ingress without annotations in namespace "${namespace}", whether or not it uses Tailscale ` +
    '(the admission rule the operator writes reads `metadata.annotations` without checking it exists; ' +
    'tailscale/tailscale#20906, fixed in a later release); give each Service and Ingress there at ' +
    'least one annotation, or keep the policy out of namespaces with other workloads'
  );
}
