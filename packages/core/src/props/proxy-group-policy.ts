import type { IProxyGroup } from './common';

/**
 * A namespaced allow-list of the ProxyGroups that Services and Ingresses in one namespace may use
 * (through their `tailscale.com/proxy-group` annotation). The operator turns it into a
 * ValidatingAdmissionPolicy, so the API server refuses any other group. A namespace without a
 * ProxyGroupPolicy may use every group; several policies in one namespace add up.
 *
 * Alpha in the operator (v1.96 and later). Up to v1.102.3 a namespace with one refuses every
 * Service and Ingress without annotations (tailscale/tailscale#20906, fixed in a later release);
 * the synth report warns about it.
 */
export interface ProxyGroupPolicyProps {
  /**
   * The ProxyGroupPolicy object's name.
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
  /**
   * The namespace whose Services and Ingresses the policy governs.
   *
   * @default - cdk8s: the chart's namespace; Pulumi: none, so it is required
   */
  readonly namespace?: string;
  /**
   * Ingress ProxyGroups that Ingresses and exposed Services (`loadBalancerClass: tailscale` or
   * `tailscale.com/expose`) in the namespace may use. Always rendered: the operator reads an
   * absent list as an empty one.
   *
   * @default [] - no ingress ProxyGroup, unless another policy in the namespace allows one
   */
  readonly ingress?: readonly IProxyGroup<'ingress'>[];
  /**
   * Egress ProxyGroups that egress Services in the namespace may use. Always rendered: the
   * operator reads an absent list as an empty one.
   *
   * @default [] - no egress ProxyGroup, unless another policy in the namespace allows one
   */
  readonly egress?: readonly IProxyGroup<'egress'>[];
}
