/** A reference to a ProxyClass, owned by the program or not. Core needs only its name. */
export interface IProxyClass {
  /** The ProxyClass object's name. */
  readonly name: string;
}

/** A container image the operator runs, when it is not the pinned default. */
export interface ImageOptions {
  /**
   * The image repository, for a mirror of Tailscale's images.
   *
   * @default - Docker Hub's `tailscale/...` repository, as the chart sets it
   */
  readonly repository?: string;
  /**
   * The image tag, when not the chosen release's.
   *
   * @default - `v<version>`, the release of the operator's `version`
   */
  readonly tag?: string;
  /**
   * An image digest such as `sha256:…`; the chart prefers it over the pinned tag.
   *
   * @default - the tag of the pinned release
   */
  readonly digest?: string;
}

/** A Kubernetes toleration, as in a pod spec. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

/** Compute resources of a container, as in a pod spec (`"100m"`, `"128Mi"`). */
export interface ResourceRequirements {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

/**
 * A JSON value passed through to Kubernetes as written (affinity, security contexts): tailkube
 * does not model what the Kubernetes schema already types.
 */
export type KubernetesJson = Readonly<Record<string, unknown>>;

/** What a ProxyGroup's devices do: serve ingress, carry egress, or proxy the Kubernetes API server. */
export type ProxyGroupType = 'ingress' | 'egress' | 'kube-apiserver';

/**
 * A reference to a ProxyGroup of a given type. Typed by `proxyGroupType`, so an egress Service
 * cannot name an ingress group and the reverse.
 */
export interface IProxyGroup<T extends ProxyGroupType = ProxyGroupType> {
  /** The ProxyGroup object's name. */
  readonly name: string;
  /** The group's type, fixed when it is created. */
  readonly proxyGroupType: T;
  /** Tags on the group's devices, resolved (the operator's default when none were given). */
  readonly tags: readonly string[];
  /** How many devices the group runs. */
  readonly replicas: number;
}

/**
 * The tags a proxy's devices get when its props name none: the default of every Tailscale CRD
 * (Connector, ProxyGroup) and of the operator's `proxyConfig.defaultTags`.
 */
export const DEFAULT_PROXY_TAGS: readonly string[] = ['tag:k8s'];

/** The cluster's DNS domain when none is given, as the operator assumes it. */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** Protocols of a Kubernetes `ServicePort`. */
export const EXPOSED_PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
/** A Kubernetes `ServicePort` protocol. */
export type ExposedPortProtocol = (typeof EXPOSED_PORT_PROTOCOLS)[number];

/** A port something exposed to the tailnet listens on, in a Kubernetes `ServicePort`'s words. */
export interface ExposedPort {
  /** The port number tailnet clients connect to. */
  readonly port: number;
  /**
   * The port's protocol.
   *
   * @default 'TCP'
   */
  readonly protocol?: ExposedPortProtocol;
}
