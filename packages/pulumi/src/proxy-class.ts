import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  ValidationError,
  checkObjectName,
  argsObject,
  checkedConstructPath,
  proxyClassRequirements,
  proxyClassWarnings,
  renderProxyClass,
  resolveProxyClassProps,
  type IProxyClass,
  type ProxyClassProps,
  type ResolvedProxyClassProps,
} from '@tailkube/core/internal';
import { customResourceArgs } from './private/custom-resource';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link ProxyClass}: the shared props, plus where it registers. */
export interface ProxyClassArgs extends ProxyClassProps {
  /**
   * The tailnet the ProxyClass registers with (to check static endpoint ports across the program).
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * A ProxyClass: settings for the proxies the operator creates. A cluster-scoped
 * `tailscale.com/v1alpha1` custom resource that waits for the operator's chart (its CRD) when the
 * tailnet has a {@link TailscaleOperator}. It carries no tags and adds nothing to the policy.
 * A `TS_*` environment variable is allowed but logged as a warning, as the operator reports it.
 *
 * @see https://tailscale.com/kb/1445/kubernetes-operator-customization
 */
export class ProxyClass extends pulumi.ComponentResource implements IProxyClass {
  /** A ProxyClass the program does not own, by name. */
  static fromName(name: string): IProxyClass {
    const violation = checkObjectName(name, 'name');
    if (violation)
      throw new ValidationError({ path: checkedConstructPath('ProxyClass', '', name), ...violation });
    return { name };
  }

  /** The ProxyClass object's name. */
  readonly name: string;
  /** The props with every default applied. */
  readonly props: ResolvedProxyClassProps;
  /** What the operator would warn about in this ProxyClass (`TS_*` environment variables). */
  readonly warnings: readonly string[];
  /** The ProxyClass custom resource. */
  readonly resource: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ProxyClassArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('ProxyClass', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveProxyClassProps(path, name, props);
    const tailnet = tailnetFor(path, tailnetArg);
    const object = renderProxyClass(resolved);
    tailnet._claimObjects(path, [object]);
    tailnet.register(proxyClassRequirements(path, resolved));
    super('tailkube:index:ProxyClass', name, {}, opts);
    this.props = resolved;
    this.name = resolved.name;
    this.warnings = proxyClassWarnings(path, props);
    for (const warning of this.warnings) void pulumi.log.warn(warning, this);
    // Waits for the operator's chart (the CRDs), when the tailnet has an operator.
    const dependsOn: Promise<pulumi.Resource[]> = tailnet._crdDependencies();
    this.resource = new k8s.apiextensions.CustomResource(name, customResourceArgs(object), {
      parent: this,
      dependsOn,
    });
    this.registerOutputs({ name: resolved.name });
  }
}
