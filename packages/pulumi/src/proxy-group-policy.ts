import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  argsObject,
  checkedConstructPath,
  proxyGroupPolicyRequirements,
  renderProxyGroupPolicy,
  resolveProxyGroupPolicyProps,
  type ProxyGroupPolicyProps,
  type ResolvedProxyGroupPolicyProps,
} from '@tailkube/core/internal';
import { customResourceArgs } from './private/custom-resource';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link ProxyGroupPolicy}: the shared props, plus where it registers. */
export interface ProxyGroupPolicyArgs extends ProxyGroupPolicyProps {
  /**
   * The tailnet the policy registers with (it waits for the operator's chart through it).
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * A ProxyGroupPolicy: the ProxyGroups that Services and Ingresses in one namespace may use. The
 * operator turns it into a ValidatingAdmissionPolicy, so the API server refuses a Service or Ingress
 * whose `tailscale.com/proxy-group` names any other group. A namespace without a ProxyGroupPolicy may
 * use every group; several policies in one namespace add up; a list left out allows no group of
 * its type. A namespaced `tailscale.com/v1alpha1` custom resource that waits for the operator's
 * chart (its CRD) when the tailnet has a {@link TailscaleOperator}; `namespace` is required.
 *
 * Cluster side only: it adds nothing to the tailnet policy. A Service or Ingress of the program in
 * its namespace that names a group it does not allow fails at synth.
 *
 * Up to operator v1.102.3 the namespace then refuses every Service and Ingress without annotations
 * (tailscale/tailscale#20906): the synth report's `warnings` says so.
 */
export class ProxyGroupPolicy extends pulumi.ComponentResource {
  /** The props with every default applied. */
  readonly props: ResolvedProxyGroupPolicyProps;
  /** The ProxyGroupPolicy custom resource. */
  readonly resource: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ProxyGroupPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('ProxyGroupPolicy', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveProxyGroupPolicyProps(path, name, undefined, props);
    const tailnet = tailnetFor(path, tailnetArg);
    // Its allowance is checked against every Service and Ingress of the program naming a ProxyGroup.
    const object = renderProxyGroupPolicy(resolved);
    tailnet._claimObjects(path, [object]);
    tailnet.register(proxyGroupPolicyRequirements(path, resolved));
    super('tailkube:index:ProxyGroupPolicy', name, {}, opts);
    this.props = resolved;
    // Waits for the operator's chart (the CRDs), when the tailnet has an operator.
    const dependsOn: Promise<pulumi.Resource[]> = tailnet._crdDependencies();
    this.resource = new k8s.apiextensions.CustomResource(name, customResourceArgs(object), {
      parent: this,
      dependsOn,
    });
    this.registerOutputs({ name: resolved.name, namespace: resolved.namespace });
  }
}
