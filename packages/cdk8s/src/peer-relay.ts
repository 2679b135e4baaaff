import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  peerRelayAllowance,
  peerRelayHostnames,
  peerRelayRequirements,
  renderPeerRelay,
  resolvePeerRelayProps,
  tailnetPlacement,
  type Allowance,
  type ITailnetPrincipal,
  type PeerRelayProps as CorePeerRelayProps,
  type Principal,
  type ResolvedPeerRelayProps,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link PeerRelay}. */
export interface PeerRelayProps extends CorePeerRelayProps {}

/**
 * Tailscale peer relays run by the operator: devices that relay traffic between devices that
 * cannot connect directly, each on a public UDP endpoint (port 41641) behind its own LoadBalancer
 * Service. Cluster-scoped; put it in a chart applied after the operator's.
 *
 * Tailnet side: its tags, owned by the operator's tag; {@link PeerRelay.allow} grants who may
 * relay through it (`tailscale.com/cap/relay`). A relay nobody is allowed to use relays nothing.
 *
 * @see https://tailscale.com/docs/kubernetes-operator/peer-relay
 */
export class PeerRelay extends Construct implements ITailnetPrincipal {
  /** The props with every default applied. */
  readonly props: ResolvedPeerRelayProps;
  /** The PeerRelay object's name. */
  readonly name: string;
  /** The tags on the relay devices. */
  readonly tags: readonly string[];
  /** The `Tailnet` object its devices join; `undefined` for the operator's own tailnet. */
  readonly tailnetName: string | undefined;
  /** The hostnames the devices join with, `<prefix>-<i>`. */
  readonly hostnames: readonly string[];
  /** The PeerRelay object. */
  readonly apiObject: ApiObject;
  readonly #path: string;

  /** Its devices' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.tags;
  }

  constructor(scope: Construct, id: string, props: PeerRelayProps = {}) {
    const path = pathOf('PeerRelay', scope, id);
    const resolved = resolvePeerRelayProps(path, id, props);
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(peerRelayRequirements(path, resolved), scope);
    super(scope, id);
    this.#path = path;
    this.props = resolved;
    this.name = resolved.name;
    this.tags = resolved.tags;
    this.tailnetName = tailnetPlacement(resolved.operatorTailnet).tailnet;
    this.hostnames = peerRelayHostnames(resolved);
    this.apiObject = toApiObject(this, 'Resource', renderPeerRelay(resolved));
  }

  /**
   * Lets `principals` relay their traffic through the peer relays: a grant to the relays' tags with
   * the `tailscale.com/cap/relay` capability, and no network access to the relays themselves.
   * Returns what was granted.
   *
   * @example
   * relay.allow(['tag:private-workloads']);
   */
  allow(principals: readonly Principal[]): Allowance {
    const { allowance, requirements } = peerRelayAllowance(this.#path, this.props, principals);
    Tailnet.of(this).register(requirements);
    return allowance;
  }
}
