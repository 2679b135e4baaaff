import type { IProxyGroup } from './common';
import type { ApiServerProxyMode, ResolvedKubeAPIServer } from './proxy-group';
import type { IRecorder } from './recorder';
import type { ITailscaleOperator } from './tailscale-operator';

/**
 * A `kube-apiserver` ProxyGroup as the API server proxy sees it: its name, tags and, when the
 * reference knows them, its proxy mode and the hostname of the Tailscale Service it serves.
 */
export interface IKubeApiServerProxyGroup extends IProxyGroup<'kube-apiserver'> {
  /**
   * The group's proxy settings, resolved.
   *
   * @default - `auth` mode, serving `svc:<name>` (the operator's defaults)
   */
  readonly kubeAPIServer?: ResolvedKubeAPIServer | undefined;
}

/**
 * The Kubernetes API server proxy: `kubectl` over the tailnet, either in the operator's own process
 * or on a `kube-apiserver` ProxyGroup (highly available, behind the Tailscale Service
 * `svc:<hostname>`).
 *
 * @see https://tailscale.com/kb/1437/kubernetes-operator-api-server-proxy
 */
export interface ApiServerProxyProps {
  /**
   * The program's operator. The in-process proxy runs in it (its chart's
   * `apiServerProxyConfig.mode` is set); a ProxyGroup in `auth` mode needs its chart's
   * `apiServerProxyConfig.allowImpersonation` (set too).
   */
  readonly operator: ITailscaleOperator;
  /**
   * A `kube-apiserver` ProxyGroup to run the proxy on, highly available, instead of the operator's
   * process. Its mode and hostname are the group's.
   *
   * @default - the proxy runs in the operator's process, at the operator's hostname
   */
  readonly proxyGroup?: IKubeApiServerProxyGroup;
  /**
   * `auth`: each request is impersonated as the caller's tailnet identity, with the Kubernetes
   * groups its grant names, so Kubernetes RBAC decides. `noauth`: requests pass through
   * unmodified and the caller's own Kubernetes credentials apply (for a cloud IAM or an
   * authenticating proxy); grants then only open the network path.
   * With `proxyGroup`, the group's mode applies and this prop may only repeat it.
   *
   * @default 'auth'
   */
  readonly mode?: ApiServerProxyMode;
  /**
   * A name for the proxy, prefixed to the ClusterRoleBindings it creates.
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
}

/** ClusterRoles every Kubernetes cluster has, for the impersonated groups to be bound to. */
export const BUILT_IN_CLUSTER_ROLES = ['view', 'edit', 'admin', 'cluster-admin'] as const;
/** A ClusterRole every Kubernetes cluster has. */
export type BuiltInClusterRole = (typeof BUILT_IN_CLUSTER_ROLES)[number];

/** A reference to a ClusterRole the program defines or the cluster has. Core needs its name. */
export interface IClusterRole {
  /** The ClusterRole object's name. */
  readonly name: string;
}

/**
 * The Kubernetes group that bypasses RBAC entirely: every request of a member is allowed, and no
 * binding applies or is needed.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
 */
export const SUPERUSER_GROUP = 'system:masters';

/** What a principal gets from {@link ApiServerProxyProps | the API server proxy}. */
export interface ApiServerProxyAccessOptions {
  /**
   * Kubernetes groups the proxy impersonates for the principal's requests (`auth` mode only). The
   * principal's own identity is the impersonated user: its login name, or its node's name for a
   * tagged device.
   *
   * @default - none; required in `auth` mode
   */
  readonly groups?: readonly string[];
  /**
   * A ClusterRole each of the `groups` is bound to, with one ClusterRoleBinding per group.
   * `system:masters` is never bound: it bypasses RBAC.
   *
   * @default - no binding; the groups are bound elsewhere
   */
  readonly clusterRole?: BuiltInClusterRole | IClusterRole;
  /**
   * The name of the ClusterRoleBinding of the one group `clusterRole` binds, such as
   * `tailnet-readers-view`, for a binding named by the cluster's own conventions. An RBAC name
   * (not `.` or `..`, no `/` or `%`), used by no other binding in the program. Needs `clusterRole`
   * and exactly one group to bind (`system:masters` is never bound).
   *
   * @default - `<proxy name>-<group>-<role>`, or the name of the binding an earlier grant made for
   * the same group and role
   */
  readonly clusterRoleBindingName?: string;
  /**
   * Whether `groups` may hold `system:masters`. Members of that group bypass RBAC: every request
   * is allowed, and no binding, audit policy by role or later `clusterRole` narrows it.
   *
   * @default false
   */
  readonly allowSystemMasters?: boolean;
  /**
   * The Recorder that `kubectl exec`, `attach` and `debug` sessions of the principal are sent to.
   * Its first tag goes into the capability (which names at most one), and the proxies are let
   * through to it on `tcp:80`.
   *
   * @default - sessions are not recorded
   */
  readonly recorder?: IRecorder;
  /**
   * Whether a session fails when it cannot be recorded, instead of going on unrecorded.
   *
   * @default false
   */
  readonly enforceRecorder?: boolean;
  /**
   * Whether every API request of the principal through the proxy, not only its sessions, is sent
   * to the `recorder` as an event (beta; the capability's `enableEvents`). With `enforceRecorder`,
   * a request that cannot be recorded fails.
   *
   * @default false
   */
  readonly enableEvents?: boolean;
}
