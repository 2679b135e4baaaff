/** A role a user holds in the tailnet; `autogroup:<role>` names the users holding it. */
export type TopologyUserRole =
  'owner' | 'admin' | 'it-admin' | 'network-admin' | 'billing-admin' | 'auditor' | 'member';

/** A user of the tailnet, in the captures' shape. */
export interface TopologyUser {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  /**
   * The user's roles: `autogroup:<role>` names the untagged devices of the users holding the role,
   * matched exactly (an Owner who is also an Admin lists both). The captures do not list them; the
   * control plane reports them on the user's devices as the `is-owner` / `is-admin` self capabilities.
   *
   * @default ['member']
   */
  readonly roles?: readonly TopologyUserRole[];
}

/** A device of the tailnet, in the captures' shape (without the `approved_routes` outcome). */
export interface TopologyNode {
  readonly hostname: string;
  readonly tags: readonly string[];
  readonly ipv4: string;
  readonly ipv6: string;
  /** The owning user's `name`; absent for tagged devices. */
  readonly user?: string;
  /** Routes the device advertises (subnet routes and `0.0.0.0/0`/`::/0` for an exit node). */
  readonly routable_ips: readonly string[];
  /**
   * Tailscale Services the device advertises (`svc:web`), as a ProxyGroup replica or a
   * `tailscale serve --service` host does. Like routes, an advertised service is only hosted once
   * approved (`autoApprovers.services`); the engine computes the approval.
   *
   * @default - the device hosts no service
   */
  readonly services?: readonly string[];
  /**
   * Device posture attributes the control plane knows about the device (`node:os`,
   * `node:tsVersion`, `node:tsReleaseTrack`, `node:tsAutoUpdate`, `ip:country`, `custom:…`, an
   * integration's `falcon:ztaScore`, …). A `srcPosture` condition on an attribute the device lacks
   * does not hold.
   *
   * @default - no attribute is known
   */
  readonly posture?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A Tailscale Service: a name with its own virtual address pair (VIP), distinct from the addresses
 * of the devices that host it. The control plane allocates the pair when the service is defined.
 */
export interface TopologyService {
  /** The service's IPv4 VIP, inside the tailnet's 100.64.0.0/10. */
  readonly ipv4: string;
  /** The service's IPv6 VIP, inside fd7a:115c:a1e0::/48. */
  readonly ipv6: string;
  /**
   * Tags of the service definition; `autoApprovers.services` may be keyed by them.
   *
   * @default - none
   */
  readonly tags?: readonly string[];
}

/** Tailnet-wide settings some node attributes depend on. */
export interface TopologyTailnet {
  readonly dns?: Readonly<Record<string, unknown>>;
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** The devices and users a policy is simulated against, in the captures' `topology` shape. */
export interface Topology {
  readonly users: readonly TopologyUser[];
  /**
   * The devices by name, in the order they registered (all taken as online). The order decides the
   * primary router of a subnet route several devices serve: the earliest registered carries it for
   * its peers, the others stand by, and likewise among the routers a `via` grant names. (JavaScript
   * lists integer-like names first, whatever the insertion order.)
   */
  readonly nodes: Readonly<Record<string, TopologyNode>>;
  readonly tailnet?: TopologyTailnet;
  /**
   * Tailscale Services by name (`svc:web`). The captures record none; tailkube adds them so that
   * `svc:` destinations resolve to addresses.
   *
   * @default - no service is defined
   */
  readonly services?: Readonly<Record<string, TopologyService>>;
}
