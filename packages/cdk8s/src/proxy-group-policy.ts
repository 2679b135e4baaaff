import { Chart, type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  proxyGroupPolicyRequirements,
  renderProxyGroupPolicy,
  resolveProxyGroupPolicyProps,
  type ProxyGroupPolicyProps as CoreProxyGroupPolicyProps,
  type ResolvedProxyGroupPolicyProps,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link ProxyGroupPolicy}. */
export interface ProxyGroupPolicyProps extends CoreProxyGroupPolicyProps {}

/**
 * A ProxyGroupPolicy: the ProxyGroups that Services and Ingresses in one namespace may use. The
 * operator turns it into a ValidatingAdmissionPolicy, so the API server refuses a Service or Ingress
 * whose `tailscale.com/proxy-group` names any other group. A namespace without a ProxyGroupPolicy may
 * use every group; several policies in one namespace add up; a list left out allows no group of
 * its type. For a platform team sharing groups across namespaces.
 *
 * Cluster side only: it adds nothing to the tailnet policy. A Service or Ingress of the program in
 * its namespace that names a group it does not allow fails at synth.
 *
 * Up to operator v1.102.3 the namespace then refuses every Service and Ingress without annotations
 * (tailscale/tailscale#20906): the synth report's `warnings` says so.
 */
export class ProxyGroupPolicy extends Construct {
  /** The props with every default applied. */
  readonly props: ResolvedProxyGroupPolicyProps;
  /** The ProxyGroupPolicy object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ProxyGroupPolicyProps = {}) {
    const path = pathOf('ProxyGroupPolicy', scope, id);
    const resolved = resolveProxyGroupPolicyProps(path, id, Chart.of(scope).namespace, props);
    // Its allowance is checked against every Service and Ingress of the program naming a ProxyGroup.
    Tailnet.of(scope).register(proxyGroupPolicyRequirements(path, resolved), scope);
    super(scope, id);
    this.props = resolved;
    this.apiObject = toApiObject(this, 'Resource', renderProxyGroupPolicy(resolved));
  }
}
