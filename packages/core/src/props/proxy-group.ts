import type { IProxyClass, ProxyGroupType } from './common';
import type { TailnetReference } from './operator-tailnet';

/** The ProxyGroup types the operator supports (the CRD's `spec.type` enum). */
export const PROXY_GROUP_TYPES = [
  'ingress',
  'egress',
  'kube-apiserver',
] as const satisfies readonly ProxyGroupType[];

/** How a `kube-apiserver` ProxyGroup proxies requests (the CRD's `spec.kubeAPIServer.mode` enum). */
export const API_SERVER_PROXY_MODES = ['auth', 'noauth'] as const;
/**
 * `auth`: requests are impersonated as the sender's tailnet identity; `noauth`: requests pass
 * through with the proxy's own credentials and the caller authenticates to the API server itself.
 */
export type ApiServerProxyMode = (typeof API_SERVER_PROXY_MODES)[number];

/** The replicas a ProxyGroup runs when its props name none (the operator's `pgReplicas`). */
export const DEFAULT_PROXY_GROUP_REPLICAS = 2;

/** The mode of a `kube-apiserver` ProxyGroup when its props name none (the CRD's default). */
export const DEFAULT_API_SERVER_PROXY_MODE: ApiServerProxyMode = 'auth';

/**
 * Settings of a `kube-apiserver` ProxyGroup: the Kubernetes API server proxy, run highly available
 * behind one Tailscale Service.
 *
 * @see https://tailscale.com/kb/1437/kubernetes-operator-api-server-proxy
 */
export interface ProxyGroupKubeAPIServer {
  /**
   * Whether requests are impersonated as the sender's tailnet identity (`auth`) or passed through
   * (`noauth`). `auth` needs the chart's `apiServerProxyConfig.allowImpersonation` (the
   * `kube-apiserver-auth-proxy` ServiceAccount the operator checks for).
   *
   * @default 'auth'
   */
  readonly mode?: ApiServerProxyMode;
  /**
   * The hostname of the Tailscale Service the proxies serve, `svc:<hostname>`: a DNS label of at
   * most 63 characters, unique across the tailnet.
   *
   * @default - the ProxyGroup's name
   */
  readonly hostname?: string;
}

/** `kubeAPIServer` is a prop of `kube-apiserver` ProxyGroups only. */
export type KubeAPIServerFor<T extends ProxyGroupType> = T extends 'kube-apiserver'
  ? ProxyGroupKubeAPIServer
  : never;

/**
 * A ProxyGroup: a highly available set of proxies of one type, shared by many Services and
 * Ingresses (`ingress`), egress Services (`egress`), or proxying the Kubernetes API server
 * (`kube-apiserver`). Cluster-scoped. Typed by its `type`, so an egress Service cannot use an
 * ingress group and the reverse.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 * @see https://tailscale.com/kb/1438/kubernetes-operator-cluster-egress
 */
export interface ProxyGroupProps<T extends ProxyGroupType = ProxyGroupType> {
  /**
   * What the group's proxies do. Immutable: the API server refuses a change (`ProxyGroup type is
   * immutable`), so a new type means a new ProxyGroup.
   */
  readonly type: T;
  /**
   * The ProxyGroup object's name: a DNS label of at most 52 characters (it names the group's
   * StatefulSet, and Kubernetes adds a revision hash to that in a 63-character label).
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
  /**
   * How many proxies (pods, and tailnet devices) the group runs. Always rendered.
   *
   * @default 2
   */
  readonly replicas?: number;
  /**
   * A prefix for the devices' hostnames: replica `i` joins as `<prefix>-<i>`.
   *
   * @default - the ProxyGroup's name: devices join as `<name>-<i>`
   */
  readonly hostnamePrefix?: string;
  /**
   * Tags on the group's devices. The operator's tag owns them. Always rendered, so the policy's
   * approvals name the tags the devices really get whatever default tags the operator has. The
   * operator does not retag existing devices: a change of tags needs a new ProxyGroup.
   *
   * @default ['tag:k8s']
   */
  readonly tags?: readonly string[];
  /**
   * The ProxyClass applied to the group's pods. A `kube-apiserver` group runs the `k8s-proxy`
   * image and no init container; the operator refuses a ProxyClass that sets otherwise.
   *
   * @default - the operator's default ProxyClass, if any, else the operator's defaults
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
   * Settings of a `kube-apiserver` group. Only for that type.
   *
   * @default - `auth` mode, serving `svc:<name>`
   */
  readonly kubeAPIServer?: KubeAPIServerFor<T>;
}

/** A ProxyGroup's `kubeAPIServer` settings with the operator's defaults applied. */
export interface ResolvedKubeAPIServer {
  /** The proxy mode. */
  readonly mode: ApiServerProxyMode;
  /** The hostname of the Tailscale Service `svc:<hostname>` the proxies serve. */
  readonly hostname: string;
}

/**
 * A ProxyGroup the program does not own (for example one a platform team runs), described by what
 * the program needs to know about it.
 */
export interface ProxyGroupAttributes<T extends ProxyGroupType = ProxyGroupType> {
  /** The ProxyGroup object's name. */
  readonly name: string;
  /** The group's type. */
  readonly type: T;
  /**
   * The tags on the group's devices, which Tailscale Services on it are approved for.
   *
   * @default ['tag:k8s']
   */
  readonly tags?: readonly string[];
  /**
   * How many devices the group runs.
   *
   * @default 2
   */
  readonly replicas?: number;
}
