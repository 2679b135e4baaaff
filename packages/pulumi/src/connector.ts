import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  REPLACE_ON_CHANGES,
  connectorAllowance,
  connectorHostnames,
  connectorRequirements,
  argsObject,
  checkedConstructPath,
  renderConnector,
  resolveConnectorProps,
  type Allowance,
  type AllowOptions,
  type ITailnetPrincipal,
  type Principal,
  type ConnectorProps,
  type ResolvedConnectorProps,
  tailnetPlacement,
} from '@tailkube/core/internal';
import { customResourceArgs } from './private/custom-resource';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link Connector}: the shared props, plus where it registers. */
export interface ConnectorArgs extends ConnectorProps {
  /**
   * The tailnet that receives the Connector's requirements.
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * A Tailscale Connector: a subnet router, an exit node (or both), or an app connector, run by the
 * operator in the cluster. A cluster-scoped `tailscale.com/v1alpha1` custom resource that waits for
 * the operator's chart (its CRD) when the tailnet has a {@link TailscaleOperator}.
 *
 * The operator does not apply changed tags to an existing Connector, so a change of `tags`
 * replaces the resource (`replaceOnChanges`).
 *
 * Tailnet side: its tags owned by the operator's tag, `autoApprovers.routes` and
 * `autoApprovers.exitNode` for exactly its tags, an app connector's domains in `nodeAttrs`;
 * {@link Connector.allow} adds who may use it.
 *
 * @see https://tailscale.com/kb/1441/kubernetes-operator-connector
 */
export class Connector extends pulumi.ComponentResource implements ITailnetPrincipal {
  /** The props with every default applied. */
  readonly props: ResolvedConnectorProps;
  /** The Connector object's name. */
  readonly name: string;
  /** The tags on the Connector's devices. */
  readonly tags: readonly string[];
  /** The `Tailnet` object its devices join; `undefined` for the operator's own tailnet. */
  readonly tailnetName: string | undefined;
  /** Its devices' tags: what names the Connector when it is passed as a principal. */
  readonly principalSelectors: readonly string[];
  /**
   * The hostnames the operator will request for the devices. The real MagicDNS names come from
   * the Connector's status (`status.devices[].hostname`): a name already taken gets `-1`.
   */
  readonly hostnames: readonly string[];
  /** The Connector custom resource. */
  readonly resource: k8s.apiextensions.CustomResource;
  readonly #path: string;
  readonly #tailnet: Tailnet;

  constructor(name: string, args: ConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('Connector', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveConnectorProps(path, name, props);
    const tailnet = tailnetFor(path, tailnetArg);
    const object = renderConnector(resolved);
    tailnet._claimObjects(path, [object]);
    tailnet.register(connectorRequirements(path, resolved));
    super('tailkube:index:Connector', name, {}, opts);
    this.#path = path;
    this.#tailnet = tailnet;
    this.props = resolved;
    this.name = resolved.name;
    this.tags = resolved.tags;
    this.tailnetName = tailnetPlacement(resolved.operatorTailnet).tailnet;
    this.principalSelectors = resolved.tags;
    this.hostnames = connectorHostnames(resolved);
    // Waits for the operator's chart (the CRDs), when the tailnet has an operator.
    const dependsOn: Promise<pulumi.Resource[]> = tailnet._crdDependencies();
    this.resource = new k8s.apiextensions.CustomResource(name, customResourceArgs(object), {
      parent: this,
      dependsOn,
      // The operator ignores a change of tags on an existing Connector.
      replaceOnChanges: [...REPLACE_ON_CHANGES.Connector],
    });
    this.registerOutputs({ name: resolved.name, hostnames: this.hostnames });
  }

  /**
   * Lets `principals` use the Connector, and nothing more: its subnet routes, the internet through
   * it when it is an exit node (`via` its tags), the app's traffic through it when it is an app
   * connector, on `options.ports` (by default every port). Returns what was granted.
   *
   * The access is also checked offline when the policy renders: each principal must reach an
   * address inside every route (and the internet, for an exit node) on the ports granted, and
   * the stand-in for anyone else (`autogroup:member`, or an ungranted tag when members are allowed)
   * must not.
   *
   * @example
   * connector.allow(['group:family'], { ports: ['tcp:443'] });
   */
  allow(principals: readonly Principal[], options: AllowOptions = {}): Allowance {
    const { allowance, requirements } = connectorAllowance(this.#path, this.props, principals, options);
    this.#tailnet.register(requirements);
    return allowance;
  }
}
