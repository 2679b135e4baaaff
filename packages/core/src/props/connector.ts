import type { IProxyClass } from './common';
import type { TailnetReference } from './operator-tailnet';

/**
 * The Connector's subnet router: the routes its device advertises to the tailnet.
 *
 * @see https://tailscale.com/kb/1019/subnets
 */
export interface ConnectorSubnetRouter {
  /**
   * Masked CIDRs the device advertises, IPv4 or IPv6 (4via6 routes included). A default route
   * (`0.0.0.0/0`, `::/0`) is not a subnet route: set `exitNode` instead.
   */
  readonly advertiseRoutes: readonly string[];
}

/**
 * The Connector's app connector: domains whose traffic the tailnet sends through its device. The
 * domains live in the tailnet policy (`nodeAttrs` with the `tailscale.com/app-connectors`
 * capability), not in the Connector object.
 *
 * @see https://tailscale.com/kb/1281/app-connectors
 */
export interface ConnectorAppConnector {
  /**
   * Domains the app connector serves, such as `github.com` or `*.example.com`.
   */
  readonly domains: readonly string[];
  /**
   * Routes the app connector advertises from the start, before it discovers any. Auto-approval
   * then covers exactly these routes instead of every route it might discover.
   *
   * @default - routes are discovered at run time from DNS answers for the domains
   * @see https://tailscale.com/kb/1332/apps-best-practices#preconfiguration
   */
  readonly routes?: readonly string[];
  /**
   * The name of the app in the policy's `tailscale.com/app-connectors` capability.
   *
   * @default - the Connector's name
   */
  readonly name?: string;
  /**
   * The client devices that route the domains through the app connector: the `target` of the
   * `nodeAttrs` entry. It names clients, not the connector.
   *
   * @default ['*']
   */
  readonly clients?: readonly string[];
}

/**
 * A Tailscale Connector: a device in the cluster acting as a subnet router, an exit node (or
 * both), or an app connector. Cluster-scoped.
 *
 * @see https://tailscale.com/kb/1441/kubernetes-operator-connector
 */
export interface ConnectorProps {
  /**
   * The Connector object's name.
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
  /**
   * Routes to advertise as a subnet router.
   *
   * @default - not a subnet router
   */
  readonly subnetRouter?: ConnectorSubnetRouter;
  /**
   * Whether the device is an exit node. Approved through `autoApprovers.exitNode`, which is the
   * only way to approve one: default routes under `autoApprovers.routes` do not.
   *
   * @default false
   */
  readonly exitNode?: boolean;
  /**
   * Domains to serve as an app connector. Exclusive with `subnetRouter` and `exitNode`.
   *
   * @default - not an app connector
   */
  readonly appConnector?: ConnectorAppConnector;
  /**
   * The device's hostname (2 to 63 lower-case letters, digits and dashes). Not with `replicas`
   * above 1: use `hostnamePrefix`.
   *
   * @default - `<name>-connector`, as the operator names it
   */
  readonly hostname?: string;
  /**
   * A prefix for each replica's hostname: replica `i` joins as `<prefix>-<i>`.
   *
   * @default - no prefix; the hostname applies
   */
  readonly hostnamePrefix?: string;
  /**
   * How many devices to run, for high availability of the routes or exit node.
   *
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Tags on the Connector's devices. The operator's tag owns them, and route and exit node
   * approvals name exactly these. Rendered into the object even when defaulted, so the approvals
   * hold whatever default tags the operator is configured with. The operator does not apply a
   * change to an existing Connector's tags: the Connector must be re-created.
   *
   * @default ['tag:k8s']
   */
  readonly tags?: readonly string[];
  /**
   * The ProxyClass applied to the Connector's pods.
   *
   * @default - the operator's default configuration (a default ProxyClass does not apply to Connectors)
   */
  readonly proxyClass?: IProxyClass;
  /**
   * The tailnet the devices join: an `OperatorTailnet`, or the name of a `Tailnet` object.
   * Immutable once set (CRD: `self == oldSelf`). Its needs go to that tailnet's requirements,
   * never into this program's policy.
   *
   * @default - the operator's own tailnet
   */
  readonly operatorTailnet?: TailnetReference;
  /**
   * Whether another Connector in the program may advertise the same subnet routes, as a
   * high-availability pair. tailkube-only; nothing is rendered for it.
   *
   * @default false - the same route from two Connectors is an error
   * @see https://tailscale.com/kb/1115/high-availability
   */
  readonly highAvailability?: boolean;
}
