import type { IProxyClass, ImageOptions, KubernetesJson, ResourceRequirements, Toleration } from './common';
import type { OperatorCredentials } from './operator-credentials';
import type { TailscaleImage, TailscaleImageName } from '../versions';
import type { ImagePullPolicy } from './proxy-class';
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
 * Who owns the operator's namespace, and so whether tailkube renders it and labels it for
 * privileged pods.
 *
 * - `dedicated`: tailkube renders it for the operator and its proxies alone, always labelled
 *   `pod-security.kubernetes.io/enforce: privileged`.
 * - `shared`: tailkube renders it, but other workloads run there too (such as a `networking`
 *   namespace beside an ingress controller): labelled privileged only when a construct in the
 *   program runs privileged proxies there; the program's report says which.
 * - `existing`: tailkube renders nothing (Pulumi creates nothing); when the program's proxies need
 *   the label, the report warns that the namespace must carry it.
 */
export const OPERATOR_NAMESPACE_MODES = ['dedicated', 'shared', 'existing'] as const;
/** Who owns the operator's namespace. */
export type OperatorNamespaceMode = (typeof OPERATOR_NAMESPACE_MODES)[number];

/** The operator image: a mirror, a tag or digest, and when to pull it. */
export interface OperatorImageOptions extends ImageOptions {
  /**
   * When the kubelet pulls the operator image.
   *
   * @default 'Always' (the chart's default)
   */
  readonly pullPolicy?: ImagePullPolicy;
}

/**
 * Operator settings that only its environment carries (read by `cmd/k8s-operator/operator.go` at
 * the pinned tag), rendered into the chart's `operatorConfig.extraEnv`.
 *
 * @see https://github.com/tailscale/tailscale/blob/v1.102.3/cmd/k8s-operator/operator.go
 */
export interface OperatorExtraEnv {
  /**
   * Whether the operator exposes every `LoadBalancer` Service that names no
   * `loadBalancerClass`, as the cluster's default load balancer (`OPERATOR_DEFAULT_LOAD_BALANCER`).
   *
   * @default false
   */
  readonly defaultLoadBalancer?: boolean;
  /**
   * The PriorityClass of the proxy pods the operator creates (`PROXY_PRIORITY_CLASS_NAME`).
   *
   * @default - the cluster default
   */
  readonly proxyPriorityClassName?: string;
  /**
   * The UDP port the operator's own tailnet node listens on (`TS_PORT`), for a firewall that
   * allows one port.
   *
   * @default - a random port
   */
  readonly port?: number;
  /**
   * Whether the operator stops uploading its logs to Tailscale (`TS_NO_LOGS_NO_SUPPORT`); Tailscale
   * then cannot help debug it.
   *
   * @default false
   */
  readonly noLogsNoSupport?: boolean;
  /**
   * Other variables, by name, for knobs tailkube does not type. A name tailkube or the chart
   * already sets (such as `PROXY_IMAGE` or `K8S_PROXY_IMAGE`) is refused: use its typed prop.
   *
   * @default - none
   */
  readonly raw?: Readonly<Record<string, string>>;
}

/**
 * The Tailscale Kubernetes Operator: the official Helm chart at a pinned version with typed values,
 * its namespace, and its credentials.
 *
 * @see https://tailscale.com/kb/1236/kubernetes-operator
 */
export interface TailscaleOperatorProps {
  /**
   * The namespace the operator and its proxies run in. It is labelled for privileged pods, which
   * the proxies are, as `namespaceMode` says; no other namespace is touched.
   *
   * @default 'tailscale'
   */
  readonly namespace?: string;
  /**
   * Whether tailkube renders the namespace for the operator alone, renders one shared with other
   * workloads, or leaves an existing one alone (`OperatorNamespaceMode` says how each is labelled).
   *
   * @default 'dedicated'
   */
  readonly namespaceMode?: OperatorNamespaceMode;
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
   * The registry path Tailscale's images are pulled from, for a mirror such as
   * `ghcr.io/tailscale` or `registry.example.com/tailscale`. Every image tailkube names (operator,
   * proxy, API server proxy) is `<imageRegistry>/<name>` at the chosen `version`, unless its own
   * `repository` is set.
   *
   * @default 'tailscale' (Docker Hub)
   */
  readonly imageRegistry?: string;
  /**
   * The operator image, when it is not `k8s-operator` from `imageRegistry` at `version`.
   *
   * @default - `<imageRegistry>/k8s-operator` at `version`, pulled `Always`
   */
  readonly operatorImage?: OperatorImageOptions;
  /**
   * The proxy image (`tailscale/tailscale`), when it is not the one from `imageRegistry` at `version`.
   *
   * @default - `<imageRegistry>/tailscale` at `version`
   */
  readonly proxyImage?: ImageOptions;
  /**
   * The API server proxy image `kube-apiserver` ProxyGroups run (the operator's `K8S_PROXY_IMAGE`),
   * when it is not the one from `imageRegistry` at `version`.
   *
   * @default - `<imageRegistry>/k8s-proxy` at `version`
   */
  readonly k8sProxyImage?: ImageOptions;
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
   * Annotations on the operator's Deployment (the chart's top-level `annotations`: its template
   * reads that, not `operatorConfig.annotations`).
   *
   * @default - none
   */
  readonly deploymentAnnotations?: Readonly<Record<string, string>>;
  /**
   * Annotations on the operator's pod.
   *
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Labels on the operator's pod, beside the chart's `app: operator`.
   *
   * @default - none
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Annotations on the operator's ServiceAccount, for cloud IAM such as EKS IRSA
   * (`eks.amazonaws.com/role-arn`).
   *
   * @default - none
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /**
   * Whether the chart installs (and upgrades) the tailscale.com CRDs. Turn it off only when
   * something else installs them at the chart's version.
   *
   * @default true
   */
  readonly installCRDs?: boolean;
  /**
   * Settings the operator reads only from its environment.
   *
   * @default - none beyond the API server proxy image tailkube always sets
   */
  readonly extraEnv?: OperatorExtraEnv;
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
  /**
   * Every image of the operator's release, from its `version` and `imageRegistry`.
   *
   * @default - the pinned release from Docker Hub
   */
  readonly images?: Readonly<Record<TailscaleImageName, TailscaleImage>>;
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

/**
 * The variable each typed {@link OperatorExtraEnv} field sets, as `cmd/k8s-operator/operator.go`
 * (and `envknob.NoLogsNoSupport`) read them at the pinned tag.
 */
export const OPERATOR_EXTRA_ENV_NAMES = {
  defaultLoadBalancer: 'OPERATOR_DEFAULT_LOAD_BALANCER',
  proxyPriorityClassName: 'PROXY_PRIORITY_CLASS_NAME',
  port: 'TS_PORT',
  noLogsNoSupport: 'TS_NO_LOGS_NO_SUPPORT',
} as const satisfies Record<Exclude<keyof OperatorExtraEnv, 'raw'>, string>;
