import type { IProxyClass, IProxyGroup } from './common';

/** Protocols an egress port may carry. */
export const EGRESS_PORT_PROTOCOLS = ['TCP', 'UDP'] as const;
/** The protocol of an egress port, in a Kubernetes `ServicePort`'s words. */
export type EgressPortProtocol = (typeof EGRESS_PORT_PROTOCOLS)[number];

/**
 * A port of the tailnet target that cluster workloads reach through the egress Service. The
 * Service listens on it, and the proxies forward it to the same port on the target.
 */
export interface EgressPort {
  /** The port number, on the Service and on the target (1 to 65535). */
  readonly port: number;
  /**
   * The port's name in the Service, such as `postgres`: a DNS label (Kubernetes' rule for Service
   * ports). Kubernetes requires one on every port when the Service has several.
   *
   * @default - no name (only allowed for a Service with one port)
   */
  readonly name?: string;
  /**
   * The port's protocol. The grant derived for it names the same protocol (`tcp:5432`, `udp:53`).
   *
   * @default 'TCP'
   */
  readonly protocol?: EgressPortProtocol;
}

/**
 * A Service in the cluster that forwards to a device on the tailnet: an `ExternalName` Service the
 * operator points at an egress proxy, either one of its own (standalone) or an egress ProxyGroup.
 * Exactly one of `tailnetFqdn` and `tailnetIp` names the target.
 *
 * @see https://tailscale.com/kb/1438/kubernetes-operator-cluster-egress
 */
export interface EgressServiceProps {
  /**
   * The Service's name: a DNS label starting with a letter (Kubernetes' rule for Services).
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
  /**
   * The namespace of the Service, where the workloads that use it look it up.
   *
   * @default - cdk8s: the chart's namespace, else `default`; Pulumi: `default`
   */
  readonly namespace?: string;
  /**
   * The target's MagicDNS name, `<device>.<tailnet>.ts.net` (the annotation
   * `tailscale.com/tailnet-fqdn`). The operator accepts exactly this shape (its rule is
   * `^[a-zA-Z0-9-]+\.[a-zA-Z0-9-]+\.ts\.net\.?$`): a deeper name, or a tailnet on a custom
   * control server domain, is refused after deploy, so tailkube refuses it at synth time.
   * Exclusive with `tailnetIp`.
   *
   * @default - the target is `tailnetIp`
   */
  readonly tailnetFqdn?: string;
  /**
   * The target's tailnet IP address, IPv4 or IPv6 (the annotation `tailscale.com/tailnet-ip`): one
   * address, not a CIDR. Exclusive with `tailnetFqdn`.
   *
   * @default - the target is `tailnetFqdn`
   */
  readonly tailnetIp?: string;
  /**
   * How the tailnet policy names the target: a tag (`tag:db`), a host alias declared in the base
   * policy's `hosts`, or an IP address. The grant from the proxies' tags names it as its
   * destination. A policy cannot name a MagicDNS name, so this is required with `tailnetFqdn`.
   * tailkube does not add host aliases to the policy: the address behind a MagicDNS name is
   * assigned by the control plane, so the base policy must declare the alias.
   *
   * @default - the `tailnetIp` itself; required with `tailnetFqdn`
   */
  readonly policyTarget?: string;
  /**
   * The target's ports that cluster workloads use. The grant from the proxies' tags to the target
   * covers exactly these ports. At least one: an egress ProxyGroup maps each declared port, and a
   * standalone proxy (which forwards every port) needs them for a least-privilege grant.
   */
  readonly ports: readonly EgressPort[];
  /**
   * The egress ProxyGroup whose proxies carry the traffic (the annotation
   * `tailscale.com/proxy-group`). Typed: only a group of type `egress` fits. Its devices' tags are
   * the grant's source; `tags`, `hostname` and `proxyClass` belong to standalone proxies.
   *
   * @default - standalone: the operator runs one proxy pod and one device for this Service
   */
  readonly proxyGroup?: IProxyGroup<'egress'>;
  /**
   * Tags on the standalone proxy's device (the annotation `tailscale.com/tags`), owned by the
   * operator's tag; the grant to the target is from these tags. Rendered even when defaulted, so
   * the grant names the tags the device really gets. Not with `proxyGroup`.
   *
   * @default ['tag:k8s']
   */
  readonly tags?: readonly string[];
  /**
   * The standalone proxy's device hostname (the annotation `tailscale.com/hostname`). Not with
   * `proxyGroup`.
   *
   * @default - `<namespace>-<name>`, as the operator names it
   */
  readonly hostname?: string;
  /**
   * The ProxyClass applied to the standalone proxy's pod (the label `tailscale.com/proxy-class`).
   * Not with `proxyGroup`: set it on the ProxyGroup.
   *
   * @default - the operator's default ProxyClass, if any, else the operator's defaults
   */
  readonly proxyClass?: IProxyClass;
  /**
   * The cluster's DNS domain, to spell the Service's in-cluster DNS name. tailkube-only; nothing is
   * rendered for it.
   *
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}
