import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  REPLACE_ON_CHANGES,
  argsObject,
  checkedConstructPath,
  peerRelayAllowance,
  peerRelayHostnames,
  peerRelayRequirements,
  renderPeerRelay,
  resolvePeerRelayProps,
  tailnetPlacement,
  type Allowance,
  type ITailnetPrincipal,
  type PeerRelayProps,
  type Principal,
  type ResolvedPeerRelayProps,
} from '@tailkube/core/internal';
import { customResourceArgs } from './private/custom-resource';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link PeerRelay}: the shared props, plus where it registers. */
export interface PeerRelayArgs extends PeerRelayProps {
  /**
   * The tailnet that receives the PeerRelay's requirements.
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * Tailscale peer relays run by the operator: devices that relay traffic between devices that
 * cannot connect directly, each on a public UDP endpoint (port 41641) behind its own LoadBalancer
 * Service. A cluster-scoped `tailscale.com/v1alpha1` custom resource that waits for the operator's
 * chart. A change of `tags` or `operatorTailnet` replaces the resource (`replaceOnChanges`).
 *
 * Tailnet side: its tags, owned by the operator's tag; {@link PeerRelay.allow} grants who may
 * relay through it (`tailscale.com/cap/relay`). A relay nobody is allowed to use relays nothing.
 *
 * @see https://tailscale.com/docs/kubernetes-operator/peer-relay
 */
export class PeerRelay extends pulumi.ComponentResource implements ITailnetPrincipal {
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
  /** The PeerRelay custom resource. */
  readonly resource: k8s.apiextensions.CustomResource;
  readonly #path: string;
  readonly #tailnet: Tailnet;

  /** Its devices' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.tags;
  }

  constructor(name: string, args: PeerRelayArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('PeerRelay', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolvePeerRelayProps(path, name, props);
    const tailnet = tailnetFor(path, tailnetArg);
    tailnet.register(peerRelayRequirements(path, resolved));
    super('tailkube:index:PeerRelay', name, {}, opts);
    this.#path = path;
    this.#tailnet = tailnet;
    this.props = resolved;
    this.name = resolved.name;
    this.tags = resolved.tags;
    this.tailnetName = tailnetPlacement(resolved.operatorTailnet).tailnet;
    this.hostnames = peerRelayHostnames(resolved);
    this.resource = new k8s.apiextensions.CustomResource(
      name,
      customResourceArgs(renderPeerRelay(resolved)),
      {
        parent: this,
        // Waits for the operator's chart (the CRDs), when the tailnet has an operator.
        dependsOn: tailnet._crdDependencies(),
        // The devices keep the tags and tailnet they joined with.
        replaceOnChanges: [...REPLACE_ON_CHANGES.PeerRelay],
      },
    );
    this.registerOutputs({ name: resolved.name, hostnames: this.hostnames });
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
    this.#tailnet.register(requirements);
    return allowance;
  }
}
