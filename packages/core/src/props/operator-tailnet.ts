/**
 * A reference to a tailnet the operator manages devices in beside its own: an {@link
 * OperatorTailnetProps} construct of the program, or the name of a `Tailnet` object it does not own.
 */
export interface IOperatorTailnet {
  /** The `Tailnet` object's name, as `spec.tailnet` of a Connector, ProxyGroup, Recorder or PeerRelay names it. */
  readonly name: string;
  /**
   * Tags on that tailnet's OAuth client, which own the proxy tags there.
   *
   * @default - ['tag:k8s-operator']
   */
  readonly clientTags?: readonly string[];
}

/**
 * Which tailnet a Connector, ProxyGroup, Recorder or PeerRelay joins: a reference to an
 * `OperatorTailnet`, or the name of a `Tailnet` object the program does not own.
 */
export type TailnetReference = IOperatorTailnet | string;

/**
 * Where the operator finds the credentials for the tailnet: a Secret in the operator's namespace
 * holding `client_id` and either `client_secret` (an OAuth client) or `audience` (workload identity
 * federation). Only the Secret's name is rendered, never its values.
 */
export interface OperatorTailnetCredentials {
  /** The Secret's name, in the operator's namespace. */
  readonly secretName: string;
}

/**
 * A second (or further) tailnet the operator manages devices in, with its own credentials: the
 * operator's cluster-scoped `Tailnet` object (since operator v1.96). A Connector, ProxyGroup,
 * Recorder or PeerRelay joins it through its `operatorTailnet` prop.
 *
 * The operator checks the credentials by listing devices, auth keys and Tailscale Services on that
 * tailnet (`k8s-operator/reconciler/tailnet/tailnet.go` at v1.102.3, `ensurePermissions`), so the
 * client needs at least the read side of all three scopes.
 *
 * @see https://tailscale.com/kb/1236/kubernetes-operator
 */
export interface OperatorTailnetProps {
  /**
   * The `Tailnet` object's name (cluster-scoped), which constructs on this tailnet name.
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
  /** Where the tailnet's OAuth client (or federated identity) is found. */
  readonly credentials: OperatorTailnetCredentials;
  /**
   * The control plane's URL, for a tailnet on a control server other than Tailscale's.
   *
   * @default - Tailscale's control plane (`https://controlplane.tailscale.com`)
   */
  readonly loginUrl?: string;
  /**
   * Tags on this tailnet's OAuth client (tailkube only; nothing is rendered): they own the proxy
   * tags of every construct on this tailnet, in the policy requirements written for it.
   *
   * @default ['tag:k8s-operator']
   */
  readonly clientTags?: readonly string[];
  /**
   * That tailnet's own policy, as HuJSON text (tailkube only; nothing is rendered): the
   * requirements written for it are merged into it and checked as its control plane would, so a
   * grant may name its groups and hosts. The program's `allowAll` choice applies to it too.
   *
   * @default - an empty policy: the requirements alone, deny-by-default
   */
  readonly basePolicy?: string;
}

/** The client tags of a tailnet that names none: the operator's own tag, as on the main tailnet. */
export const DEFAULT_TAILNET_CLIENT_TAGS: readonly string[] = ['tag:k8s-operator'];

/** The name a {@link TailnetReference} renders as `spec.tailnet`. */
export function tailnetName(reference: TailnetReference): string {
  return typeof reference === 'string' ? reference : reference.name;
}
