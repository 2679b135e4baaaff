import type { IProxyClass } from './common';

/**
 * The path types a Tailscale Ingress routes as written. `Exact` is missing on purpose: the
 * operator routes it as `Prefix` (with only a warning event), so tailkube refuses it.
 */
export const INGRESS_PATH_TYPES = ['Prefix', 'ImplementationSpecific'] as const;
/** How a Tailscale Ingress path matches: as a prefix (the operator treats both the same way). */
export type IngressPathType = (typeof INGRESS_PATH_TYPES)[number];

/** The IngressClass the operator's chart creates and the operator reconciles by default. */
export const DEFAULT_INGRESS_CLASS_NAME = 'tailscale';

/**
 * A Service in the Ingress's namespace that receives its requests. The operator proxies to the
 * Service's ClusterIP: over HTTPS without certificate verification when the port is 443 or is
 * named `https`, over plain HTTP otherwise.
 */
export interface IngressBackend {
  /** The Service's name, in the Ingress's namespace. */
  readonly serviceName: string;
  /** The Service's port: its number, or the name of one of its ports. */
  readonly port: number | string;
}

/** One path of a Tailscale Ingress and the Service it goes to. */
export interface IngressPath {
  /** The path, starting with `/`; requests under it go to `backend`. */
  readonly path: string;
  /**
   * How the path matches.
   *
   * @default 'Prefix'
   */
  readonly pathType?: IngressPathType;
  /** Where requests under the path go. */
  readonly backend: IngressBackend;
}

/**
 * What every Ingress the operator serves has: an HTTPS endpoint on the tailnet, with a hostname,
 * paths to Services in its namespace, and the proxy's tags.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 */
export interface IngressBaseProps {
  /**
   * The Ingress object's name.
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
  /**
   * The Ingress's namespace; its backends are Services in the same namespace.
   *
   * @default - cdk8s: the chart's namespace, else `default`; Pulumi: `default`
   */
  readonly namespace?: string;
  /**
   * The first label of the MagicDNS name, `<hostname>.<tailnet>.ts.net`: a DNS label of 2 to 63
   * lower-case letters, digits and dashes. Rendered as the Ingress's single TLS host. The real
   * name comes from the Ingress's status: a hostname taken on the tailnet gets `-1`.
   *
   * @default - `<namespace>-<name>-ingress`, as the operator names it
   */
  readonly hostname?: string;
  /**
   * Where requests that match no path go (the path `/`).
   *
   * @default - only `paths` are served
   */
  readonly defaultBackend?: IngressBackend;
  /**
   * Paths and the Services they go to. At least one of `paths` and `defaultBackend` is needed.
   *
   * @default - only `defaultBackend` is served
   */
  readonly paths?: readonly IngressPath[];
  /**
   * Whether the proxy also listens on port 80 and redirects HTTP to HTTPS
   * (`tailscale.com/http-redirect`).
   *
   * @default false
   */
  readonly httpRedirect?: boolean;
  /**
   * Tags on the proxy's device (`tailscale.com/tags`). The operator's tag owns them, and
   * `allow()` grants reach exactly these. Rendered even when defaulted, so the grants hold
   * whatever default tags the operator is configured with. The operator does not retag an existing
   * proxy: a change of tags needs the Ingress re-created.
   *
   * @default ['tag:k8s']
   */
  readonly tags?: readonly string[];
  /**
   * The ProxyClass applied to the proxy's pod (the `tailscale.com/proxy-class` label).
   *
   * @default - the operator's default ProxyClass, if any
   */
  readonly proxyClass?: IProxyClass;
  /**
   * The IngressClass the operator reconciles: the chart's `ingressClass.name`, which
   * `TailscaleOperator`'s `ingressClassName` sets.
   *
   * @default 'tailscale'
   */
  readonly ingressClassName?: string;
}
