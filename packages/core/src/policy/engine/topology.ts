/** A user of the tailnet, in the captures' shape. */
export interface TopologyUser {
  readonly id: number;
  readonly name: string;
  readonly email: string;
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
}

/** Tailnet-wide settings some node attributes depend on. */
export interface TopologyTailnet {
  readonly dns?: Readonly<Record<string, unknown>>;
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** The devices and users a policy is simulated against, in the captures' `topology` shape. */
export interface Topology {
  readonly users: readonly TopologyUser[];
  readonly nodes: Readonly<Record<string, TopologyNode>>;
  readonly tailnet?: TopologyTailnet;
}
