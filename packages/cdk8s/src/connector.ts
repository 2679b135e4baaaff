import { type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  connectorAllowance,
  connectorHostnames,
  connectorRequirements,
  renderConnector,
  resolveConnectorProps,
  type Allowance,
  type AllowOptions,
  type ITailnetPrincipal,
  type Principal,
  type ConnectorProps as CoreConnectorProps,
  type ResolvedConnectorProps,
  tailnetPlacement,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link Connector}. */
export interface ConnectorProps extends CoreConnectorProps {}

/**
 * A Tailscale Connector: a subnet router, an exit node (or both), or an app connector, run by the
 * operator in the cluster. Cluster-scoped, so its object carries no namespace even in a chart that
 * stamps one; put it in a chart applied after the operator's (its CRD comes with the chart).
 *
 * Tailnet side, registered with the app's {@link Tailnet}: its tags owned by the operator's tag,
 * `autoApprovers.routes` and `autoApprovers.exitNode` for exactly its tags (no click in the admin
 * console), an app connector's domains in `nodeAttrs`; {@link Connector.allow} adds who may use it.
 *
 * The operator does not apply a change of tags to an existing Connector: delete and re-create it.
 *
 * @see https://tailscale.com/kb/1441/kubernetes-operator-connector
 */
export class Connector extends Construct implements ITailnetPrincipal {
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
  /** The Connector object. */
  readonly apiObject: ApiObject;
  readonly #path: string;

  constructor(scope: Construct, id: string, props: ConnectorProps) {
    const path = pathOf('Connector', scope, id);
    const resolved = resolveConnectorProps(path, id, props);
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(connectorRequirements(path, resolved), scope);
    super(scope, id);
    this.#path = path;
    this.props = resolved;
    this.name = resolved.name;
    this.tags = resolved.tags;
    this.tailnetName = tailnetPlacement(resolved.operatorTailnet).tailnet;
    this.principalSelectors = resolved.tags;
    this.hostnames = connectorHostnames(resolved);
    this.apiObject = toApiObject(this, 'Resource', renderConnector(resolved));
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
    Tailnet.of(this).register(requirements);
    return allowance;
  }
}
