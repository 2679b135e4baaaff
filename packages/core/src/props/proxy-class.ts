import type { KubernetesJson, ResourceRequirements, Toleration } from './common';

/** Image pull policies a proxy container accepts. */
export const IMAGE_PULL_POLICIES = ['Always', 'Never', 'IfNotPresent'] as const;
/** When the kubelet pulls a proxy image. */
export type ImagePullPolicy = (typeof IMAGE_PULL_POLICIES)[number];

/**
 * How a proxy pod's DNS is configured, as in a pod spec (`dnsPolicy`).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy
 */
export const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] as const;
/** How a proxy pod's DNS is configured; see {@link DNS_POLICIES}. */
export type DnsPolicy = (typeof DNS_POLICIES)[number];

/** A DNS resolver option of a pod, such as `ndots`. */
export interface PodDnsConfigOption {
  /** The option's name. */
  readonly name: string;
  /**
   * The option's value.
   *
   * @default - none (a flag such as `rotate`)
   */
  readonly value?: string;
}

/**
 * DNS parameters of a proxy pod, added to what its `dnsPolicy` generates (a pod spec's
 * `dnsConfig`).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-dns-config
 */
export interface PodDnsConfig {
  /**
   * Name server IP addresses, at most 3.
   *
   * @default - none beyond the policy's
   */
  readonly nameservers?: readonly string[];
  /**
   * Search domains, at most 32 and 2048 characters together.
   *
   * @default - none beyond the policy's
   */
  readonly searches?: readonly string[];
  /**
   * Resolver options, overriding the policy's.
   *
   * @default - none beyond the policy's
   */
  readonly options?: readonly PodDnsConfigOption[];
}

/** An environment variable of a proxy container. */
export interface EnvVar {
  /** The variable's name (letters, digits, `-`, `.`, `_`; not starting with a digit). */
  readonly name: string;
  /**
   * The value; `$(VAR)` references are expanded by Kubernetes.
   *
   * @default ''
   */
  readonly value?: string;
}

/** Settings of the proxy's init container (which enables forwarding). */
export interface ProxyInitContainer {
  /**
   * Environment variables. tailkube warns about `TS_*` names: the operator sets those itself.
   *
   * @default - none
   */
  readonly env?: readonly EnvVar[];
  /**
   * The image, when not the operator's proxy image (`tailscale/tailscale` or a mirror of it).
   *
   * @default - the operator's proxy image
   */
  readonly image?: string;
  /**
   * When to pull the image.
   *
   * @default 'Always'
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Compute resources.
   *
   * @default - none requested or limited
   */
  readonly resources?: ResourceRequirements;
  /**
   * The container's security context, as in a container spec.
   *
   * @default - the operator's (privileged, to enable forwarding)
   */
  readonly securityContext?: KubernetesJson;
}

/** Settings of the proxy's tailscale container. */
export interface ProxyContainer extends ProxyInitContainer {
  /**
   * Serves tailscaled's pprof and debug metrics on port 9001. Not for production.
   *
   * @default - off
   */
  readonly debug?: { readonly enable: boolean };
}

/** Settings of the proxy's pods. */
export interface ProxyPod {
  /**
   * Labels on the pods.
   *
   * @default - the operator's labels only
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations on the pods.
   *
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * The pods' affinity, as in a pod spec.
   *
   * @default - none
   */
  readonly affinity?: KubernetesJson;
  /**
   * Node labels the pods must match.
   *
   * @default - any node
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * The pods' tolerations.
   *
   * @default - none
   */
  readonly tolerations?: readonly Toleration[];
  /**
   * Topology spread constraints, as in a pod spec.
   *
   * @default - none
   */
  readonly topologySpreadConstraints?: readonly KubernetesJson[];
  /**
   * The node to run the pods on, bypassing the scheduler: every replica of a ProxyGroup lands on
   * it, and the node's kubelet refuses a pod that does not match `nodeSelector` or `affinity`.
   *
   * @default - the scheduler picks a node
   */
  readonly nodeName?: string;
  /**
   * How the pods' DNS is configured. `None` needs `dnsConfig` with a name server.
   *
   * @default - the cluster's default (`ClusterFirst`)
   */
  readonly dnsPolicy?: DnsPolicy;
  /**
   * DNS parameters added to what `dnsPolicy` generates.
   *
   * @default - none
   */
  readonly dnsConfig?: PodDnsConfig;
  /**
   * The pods' PriorityClass.
   *
   * @default - the operator's proxy priority class, if any
   */
  readonly priorityClassName?: string;
  /**
   * Secrets (by name, in the operator's namespace) to pull the proxy image with.
   *
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * The pods' security context, as in a pod spec.
   *
   * @default - none
   */
  readonly securityContext?: KubernetesJson;
  /**
   * The tailscale container.
   *
   * @default - the operator's defaults
   */
  readonly tailscaleContainer?: ProxyContainer;
  /**
   * The init container. It takes no `debug` settings (the operator rejects them).
   *
   * @default - the operator's defaults
   */
  readonly tailscaleInitContainer?: ProxyInitContainer;
}

/** Settings of the proxy's StatefulSet. */
export interface ProxyStatefulSet {
  /**
   * Labels on the StatefulSet.
   *
   * @default - the operator's labels only
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations on the StatefulSet.
   *
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * The pods.
   *
   * @default - the operator's defaults
   */
  readonly pod?: ProxyPod;
}

/** Proxy metrics. */
export interface ProxyMetrics {
  /** Serves Tailscale metrics at `<pod-ip>:9002/metrics`, with a `<proxy>-metrics` Service. */
  readonly enable: boolean;
  /**
   * A Prometheus ServiceMonitor for the metrics Service. Needs `enable`, and the ServiceMonitor CRD
   * in the cluster.
   *
   * @default - none
   */
  readonly serviceMonitor?: {
    readonly enable: boolean;
    /**
     * Labels on the ServiceMonitor.
     *
     * @default - none
     */
    readonly labels?: Readonly<Record<string, string>>;
  };
}

/** A port, or an inclusive range of ports. */
export interface PortRange {
  /** The first port. */
  readonly port: number;
  /**
   * The last port, inclusive.
   *
   * @default - only `port`
   */
  readonly endPort?: number;
}

/** Static endpoints: NodePort Services so tailnet peers connect to the proxies directly. */
export interface ProxyStaticEndpoints {
  /** The NodePort Services. */
  readonly nodePort: {
    /** Ports the operator picks NodePorts from; they must not overlap another ProxyClass's. */
    readonly ports: readonly PortRange[];
    /**
     * Labels of the nodes whose external IPs are advertised.
     *
     * @default - every node
     */
    readonly selector?: Readonly<Record<string, string>>;
  };
}

/** The cluster's NodePort range when the API server is not told otherwise. */
export const DEFAULT_NODE_PORT_RANGE: Required<PortRange> = { port: 30000, endPort: 32767 };

/**
 * A ProxyClass: settings for the proxies the operator creates for a Connector, Service, Ingress or
 * ProxyGroup. Carries no tags (proxies take theirs from the resource that uses the class) and no
 * `TS_*` environment unless the user insists. Cluster-scoped.
 *
 * @see https://tailscale.com/kb/1445/kubernetes-operator-customization
 */
export interface ProxyClassProps {
  /**
   * The ProxyClass object's name.
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
  /**
   * The proxies' StatefulSet and pods.
   *
   * @default - the operator's defaults
   */
  readonly statefulSet?: ProxyStatefulSet;
  /**
   * Proxy metrics.
   *
   * @default - no metrics
   */
  readonly metrics?: ProxyMetrics;
  /**
   * Tailscale settings of the proxies.
   *
   * @default - routes advertised by other devices are not accepted
   */
  readonly tailscale?: {
    /**
     * Whether proxies accept routes other devices advertise (`--accept-routes`).
     *
     * @default false
     */
    readonly acceptRoutes?: boolean;
  };
  /**
   * Issue Ingress certificates from Let's Encrypt's staging environment.
   *
   * @default false
   */
  readonly useLetsEncryptStagingEnvironment?: boolean;
  /**
   * Static endpoints through NodePort Services.
   *
   * @default - none
   */
  readonly staticEndpoints?: ProxyStaticEndpoints;
  /**
   * The cluster's NodePort range (the API server's `--service-node-port-range`), which
   * `staticEndpoints` ports must lie in. tailkube-only; nothing is rendered for it.
   *
   * @default { port: 30000, endPort: 32767 }
   */
  readonly clusterNodePortRange?: PortRange;
}
