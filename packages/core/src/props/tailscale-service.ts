import type { ExposedPortProtocol } from './common';
import type { IProxyClass, IProxyGroup } from './common';

/**
 * How a Kubernetes Service reaches the tailnet, three ways the operator reads:
 * - `annotate`: `tailscale.com/expose: "true"` on a Service the program owns;
 * - `load-balancer`: a companion Service of `type: LoadBalancer` with `loadBalancerClass: tailscale`
 *   selecting the same pods;
 * - `external-name`: a companion `ExternalName` Service with `tailscale.com/expose`, pointing at the
 *   target's cluster DNS name, for a Service known only by name (standalone only).
 */
export const EXPOSE_MECHANISMS = ['annotate', 'load-balancer', 'external-name'] as const;
/** How a Kubernetes Service reaches the tailnet; see {@link EXPOSE_MECHANISMS}. */
export type ExposeMechanism = (typeof EXPOSE_MECHANISMS)[number];

/** A port of the exposed Service, in a Kubernetes `ServicePort`'s words. */
export interface TailscaleServicePort {
  /** The port tailnet clients connect to, as the Service exposes it. */
  readonly port: number;
  /**
   * The pods' port, for a companion `LoadBalancer` Service (`mechanism: 'load-balancer'`), which
   * selects the pods itself: `{ port: 80, targetPort: 8080 }` exposes pods serving 8080 on port 80.
   * The other mechanisms keep the Service's own mapping.
   *
   * @default - the target Service's `targetPort` for this port when known, else `port`
   */
  readonly targetPort?: number | string;
  /**
   * The port's name in a companion Service.
   *
   * @default - the target Service's name for this port when known, else none
   */
  readonly name?: string;
  /**
   * The port's protocol.
   *
   * @default 'TCP'
   */
  readonly protocol?: ExposedPortProtocol;
}

/**
 * Exposes a Kubernetes Service to the tailnet (L3: every port of its cluster IP), standalone on its
 * own proxy and device, or on an ingress ProxyGroup as the Tailscale Service `svc:<hostname>`.
 * Both flavors add the Service to expose (`service`) in their own type.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 */
export interface TailscaleServiceProps {
  /**
   * How the Service reaches the tailnet.
   *
   * @default - `annotate` for a Service object the program owns (cdk8s); `load-balancer` for a
   * Service resource whose selector is known (Pulumi); `external-name` for a Service known only by name
   */
  readonly mechanism?: ExposeMechanism;
  /**
   * The device's hostname (standalone) or the Tailscale Service's name (ProxyGroup): a DNS label of
   * 2 to 63 lower-case letters, digits and dashes. Rendered as `tailscale.com/hostname`.
   *
   * @default - `<namespace>-<name>` of the Service to expose, as the operator names it
   */
  readonly hostname?: string;
  /**
   * Tags on the proxy's device (standalone) or on the Tailscale Service (ProxyGroup; the group's
   * devices keep their own tags). Owned by the operator's tag; grants from `allow()` name them.
   * Rendered as `tailscale.com/tags` even when defaulted. The operator does not apply a change of
   * tags to an existing proxy: re-create it.
   *
   * @default ['tag:k8s']
   */
  readonly tags?: readonly string[];
  /**
   * The ProxyClass of the standalone proxy's pod (rendered as the `tailscale.com/proxy-class` label).
   * Not with `proxyGroup`: the group's own ProxyClass applies.
   *
   * @default - the operator's default ProxyClass, if it has one
   */
  readonly proxyClass?: IProxyClass;
  /**
   * The ingress ProxyGroup whose devices serve the Service as `svc:<hostname>` (high availability,
   * no device per Service). The group's tags get `autoApprovers.services` for it. Needs a
   * ClusterIP, so not with `external-name`.
   *
   * @default - standalone: one proxy pod and one tailnet device for this Service
   */
  readonly proxyGroup?: IProxyGroup<'ingress'>;
  /**
   * The ports tailnet clients may reach, for the grants of `allow()` (and the companion Service's
   * ports). With `load-balancer`, the companion's own ports: a port the Service does not have
   * needs its `targetPort`. Otherwise ports of the Service.
   *
   * @default - every port of the Service to expose, when known; required otherwise
   */
  readonly ports?: readonly TailscaleServicePort[];
  /**
   * The name of the companion Service (`load-balancer`, `external-name`), in the target's namespace.
   *
   * @default - `<target name>-tailscale`
   */
  readonly name?: string;
}

/**
 * The Kubernetes Service to expose, as core sees it: what the flavor could read from the user's
 * object or reference.
 */
export interface ExposedServiceSpec {
  /** The Service's name. */
  readonly name: string;
  /** The Service's namespace. */
  readonly namespace: string;
  /** Whether the program owns the object, so tailkube may add annotations to it. */
  readonly annotatable: boolean;
  /**
   * Whether the Service's pod selector is known (plain or resolved later by the framework), so a
   * companion Service can select the same pods.
   */
  readonly hasSelector: boolean;
  /** The pod selector, when known as plain data. @default - unknown or resolved later */
  readonly selector?: Readonly<Record<string, string>>;
  /** The Service's `spec.type`. @default - unknown */
  readonly type?: string;
  /**
   * The Service's `spec.loadBalancerClass`: a `LoadBalancer` of class `tailscale` is exposed by
   * the operator without `tailscale.com/expose`. @default - unknown or none
   */
  readonly loadBalancerClass?: string;
  /** The Service's `spec.clusterIP`; `None` is headless. @default - unknown */
  readonly clusterIP?: string;
  /** The Service's ports, when known. @default - unknown */
  readonly ports?: readonly TailscaleServicePort[];
}

/**
 * A Service by name, as both flavors take one they do not own (or, in Pulumi, one whose name is
 * known before it exists).
 */
export interface ServiceReference {
  /** The Service's name. */
  readonly name: string;
  /**
   * The Service's namespace.
   *
   * @default - cdk8s: the chart's namespace, else `default`; Pulumi: `default`
   */
  readonly namespace?: string;
}
