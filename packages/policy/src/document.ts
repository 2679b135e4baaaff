/**
 * The tailnet policy file as typed data: the keys tailkube reads and writes.
 *
 * @see https://tailscale.com/kb/1337/policy-syntax
 */
export interface PolicyDocument {
  /** Named sets of users. */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  /** Names for IP addresses and CIDRs. */
  readonly hosts?: Readonly<Record<string, string>>;
  /** Who may apply each tag to a device. */
  readonly tagOwners?: Readonly<Record<string, readonly string[]>>;
  /** Legacy network access rules. */
  readonly acls?: readonly AclRule[];
  /** Network and application access rules. */
  readonly grants?: readonly Grant[];
  /** Who may advertise routes, exit nodes and Tailscale Services without manual approval. */
  readonly autoApprovers?: AutoApprovers;
  /** Attributes, such as `funnel`, given to the devices that match. */
  readonly nodeAttrs?: readonly NodeAttr[];
  /** Tailscale SSH rules. */
  readonly ssh?: readonly SshRule[];
  /** Access assertions the control plane checks on every write of the policy. */
  readonly tests?: readonly PolicyTest[];
  /** SSH access assertions the control plane checks on every write of the policy. */
  readonly sshTests?: readonly SshTest[];
  /** Named device posture conditions, referenced as `posture:name` from `srcPosture`. */
  readonly postures?: Readonly<Record<string, readonly string[]>>;
  /** Postures every grant without its own `srcPosture` requires. */
  readonly defaultSrcPosture?: readonly string[];
  /** Named sets of addresses, referenced as `ipset:name`. */
  readonly ipsets?: Readonly<Record<string, readonly string[]>>;
  /** Network-wide: give every device a random WireGuard port (as the `randomize-client-port` attribute). */
  readonly randomizeClientPort?: boolean;
  /** Network-wide: stop handing out IPv4 addresses. */
  readonly disableIPv4?: boolean;
  /** Network-wide: route all of 100.64.0.0/10 through Tailscale instead of per-peer routes. */
  readonly OneCGNATRoute?: string;
  /** Network-wide: a custom DERP map. */
  readonly derpMap?: Readonly<Record<string, unknown>>;
}

/** An `acls` entry. */
export interface AclRule {
  readonly action: 'accept';
  readonly src: readonly string[];
  readonly dst: readonly string[];
  readonly proto?: string;
  /**
   * Postures (`posture:name`) the source device must meet one of.
   *
   * @default - the policy's `defaultSrcPosture`
   */
  readonly srcPosture?: readonly string[];
}

/** A `grants` entry: `src` may reach `dst` on `ip`, and receives the `app` capabilities there. */
export interface Grant {
  readonly src: readonly string[];
  readonly dst: readonly string[];
  readonly ip?: readonly string[];
  readonly app?: Readonly<Record<string, readonly unknown[]>>;
  readonly via?: readonly string[];
  /**
   * Postures (`posture:name`) the source device must meet one of.
   *
   * @default - the policy's `defaultSrcPosture`
   */
  readonly srcPosture?: readonly string[];
}

/** The `autoApprovers` section. */
export interface AutoApprovers {
  /** Route CIDR → who may advertise it without approval. */
  readonly routes?: Readonly<Record<string, readonly string[]>>;
  /** Who may advertise an exit node without approval. */
  readonly exitNode?: readonly string[];
  /** Tailscale Service (`svc:name`) → who may host it without approval. */
  readonly services?: Readonly<Record<string, readonly string[]>>;
}

/** A `nodeAttrs` entry. */
export interface NodeAttr {
  readonly target: readonly string[];
  readonly attr?: readonly string[];
  readonly app?: Readonly<Record<string, readonly unknown[]>>;
  /** Address pools the matching devices get their addresses from. */
  readonly ipPool?: readonly string[];
}

/**
 * An `ssh` entry: who (`src`) may log in to which devices (`dst`) as which local users (`users`:
 * names, `root`, `autogroup:nonroot`, `localpart:*@domain`).
 *
 * @see https://tailscale.com/kb/1193/tailscale-ssh
 */
export interface SshRule {
  /** `check` asks the user to re-authenticate with the identity provider every `checkPeriod`. */
  readonly action: 'accept' | 'check';
  readonly src: readonly string[];
  readonly dst: readonly string[];
  readonly users: readonly string[];
  /**
   * How long a check stays valid (a duration such as `12h`, at most `168h`, or `always`).
   *
   * @default '12h'
   */
  readonly checkPeriod?: string;
  /**
   * Environment variables (`*` and `?` wildcards allowed) the client may forward.
   *
   * @default - none
   */
  readonly acceptEnv?: readonly string[];
  /**
   * Tags of the session recorders (`tsrecorder`) the device streams the session to.
   *
   * @default - sessions are not recorded
   * @see https://tailscale.com/kb/1246/tailscale-ssh-session-recording
   */
  readonly recorder?: readonly string[];
  /**
   * Whether a session is refused when no recorder can take it.
   *
   * @default false
   */
  readonly enforceRecorder?: boolean;
}

/** A `tests` entry. */
export interface PolicyTest {
  readonly src: string;
  readonly proto?: string;
  readonly accept?: readonly string[];
  readonly deny?: readonly string[];
  /**
   * Posture attributes the test's source device is assumed to have.
   *
   * @default - none: a rule that requires a posture does not admit the test's source
   */
  readonly srcPostureAttrs?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * An `sshTests` entry: `src` may log in to every device of `dst` as each `accept` user (by an
 * `accept` or `check` rule), as each `check` user by a `check` rule, and as no `deny` user.
 */
export interface SshTest {
  readonly src: string;
  readonly dst: readonly string[];
  readonly accept?: readonly string[];
  readonly check?: readonly string[];
  readonly deny?: readonly string[];
}

/** The policy's top-level keys in the order Tailscale's own editor lays them out. */
export const POLICY_SECTIONS = [
  'groups',
  'hosts',
  'tagOwners',
  'acls',
  'grants',
  'autoApprovers',
  'nodeAttrs',
  'ssh',
  'tests',
  'sshTests',
] as const satisfies readonly (keyof PolicyDocument)[];
