import type { IProxyClass, ImageOptions, KubernetesJson, ResourceRequirements, Toleration } from './common';
import type { OperatorCredentials } from './operator-credentials';
import type { ApiServerProxyMode } from './proxy-group';

/** Proxy firewall modes the operator accepts. */
export const FIREWALL_MODES = ['auto', 'iptables', 'nftables'] as const;
/** How proxies program the node's firewall. */
export type FirewallMode = (typeof FIREWALL_MODES)[number];

/** Operator log levels. */
export const OPERATOR_LOG_LEVELS = ['info', 'debug', 'dev'] as const;
/** How much the operator logs. */
export type OperatorLogLevel = (typeof OPERATOR_LOG_LEVELS)[number];

/**
 * The Tailscale Kubernetes Operator: the official Helm chart at a pinned version with typed values,
 * its namespace, and its credentials.
 *
 * @see https://tailscale.com/kb/1236/kubernetes-operator
 */
export interface TailscaleOperatorProps {
  /**
   * The namespace the operator and its proxies run in. It is labelled for privileged pods, which
   * the proxies are; no other namespace is touched.
   *
   * @default 'tailscale'
   */
  readonly namespace?: string;
  /**
   * The `tailscale-operator` chart version.
   *
   * @default - the version tailkube pins (`OPERATOR_CHART_VERSION`)
   */
  readonly version?: string;
  /**
   * The operator's device hostname on the tailnet.
   *
   * @default 'tailscale-operator'
   */
  readonly hostname?: string;
  /**
   * Tags on the operator's own device. They own every proxy tag, and the OAuth client carries them.
   *
   * @default ['tag:k8s-operator']
   */
  readonly tags?: readonly string[];
  /**
   * Tags on proxies whose own resource names none (the chart's `proxyConfig.defaultTags`).
   *
   * @default ['tag:k8s']
   */
  readonly defaultProxyTags?: readonly string[];
  /**
   * The operator image, when it is not the pinned one from Docker Hub.
   *
   * @default - `tailscale/k8s-operator` at the pinned release
   */
  readonly operatorImage?: ImageOptions;
  /**
   * The proxy image (`tailscale/tailscale`), when it is not the pinned one from Docker Hub.
   *
   * @default - `tailscale/tailscale` at the pinned release
   */
  readonly proxyImage?: ImageOptions;
  /**
   * How proxies program the node's firewall.
   *
   * @default 'auto'
   */
  readonly firewallMode?: FirewallMode;
  /**
   * The ProxyClass for Services and Ingresses that name none (not Connectors).
   *
   * @default - no default ProxyClass
   */
  readonly defaultProxyClass?: IProxyClass;
  /**
   * The IngressClass name the operator reconciles.
   *
   * @default 'tailscale'
   */
  readonly ingressClassName?: string;
  /**
   * Whether the chart creates the IngressClass; turn it off when one already exists.
   *
   * @default true
   */
  readonly createIngressClass?: boolean;
  /**
   * The control plane URL, for Headscale or another coordination server.
   *
   * @default - Tailscale's control plane
   */
  readonly loginServer?: string;
  /**
   * The operator's log level.
   *
   * @default 'info'
   */
  readonly logging?: OperatorLogLevel;
  /**
   * Node labels the operator pod must match.
   *
   * @default { 'kubernetes.io/os': 'linux' }
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * The operator pod's affinity, as in a pod spec.
   *
   * @default - none
   */
  readonly affinity?: KubernetesJson;
  /**
   * The operator pod's tolerations.
   *
   * @default - none
   */
  readonly tolerations?: readonly Toleration[];
  /**
   * The operator pod's PriorityClass.
   *
   * @default - the cluster default
   */
  readonly priorityClassName?: string;
  /**
   * The operator container's compute resources.
   *
   * @default - none requested or limited
   */
  readonly resources?: ResourceRequirements;
  /**
   * The operator pod's security context, as in a pod spec.
   *
   * @default - none
   */
  readonly podSecurityContext?: KubernetesJson;
  /**
   * The operator container's security context, as in a container spec.
   *
   * @default - none
   */
  readonly securityContext?: KubernetesJson;
  /**
   * Secrets (by name, in the operator's namespace) to pull images with.
   *
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * How the operator authenticates to the tailnet.
   *
   * @default - cdk8s: the Secret `operator-oauth`; Pulumi: a new OAuth client with derived scopes
   */
  readonly credentials?: OperatorCredentials;
}

/**
 * A reference to the program's operator, as constructs that build on it see it: the tags that own
 * every proxy tag and its own device's hostname.
 */
export interface ITailscaleOperator {
  /** Tags on the operator's own device. */
  readonly tags: readonly string[];
  /** The operator's device hostname. */
  readonly hostname: string;
}

/**
 * What the API server proxy needs from the operator's chart: an in-process proxy in a mode, or the
 * impersonation RBAC a `kube-apiserver` ProxyGroup in `auth` mode needs. Set by `ApiServerProxy`
 * constructs, never by hand.
 */
export interface OperatorApiServerProxy {
  /**
   * The mode of the proxy in the operator's process.
   *
   * @default - no in-process proxy
   */
  readonly inProcessMode?: ApiServerProxyMode;
  /**
   * Whether the chart grants the `kube-apiserver` ProxyGroups' proxies impersonation.
   *
   * @default false
   */
  readonly allowImpersonation?: boolean;
}
