import type { IngressBaseProps } from './ingress';

/**
 * The tag a Funnel proxy gets when its props name none: a tag of its own, so that the policy's
 * `funnel` attribute reaches Funnel proxies only, never the operator's ordinary proxies.
 */
export const DEFAULT_FUNNEL_TAGS: readonly string[] = ['tag:k8s-funnel'];

/** The ports Funnel accepts connections from the internet on. */
export const FUNNEL_PORTS: readonly number[] = [443, 8443, 10000];

/**
 * A Funnel Ingress: HTTPS on 443 reachable by ANYONE on the internet, and from the tailnet, in
 * front of Services in its namespace (`tailscale.com/funnel: "true"`). Served by a proxy of its
 * own: the operator does not funnel Tailscale Services, so there is no ProxyGroup option.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress#exposing-a-cluster-workload-to-the-internet-using-tailscale-funnel
 * @see https://tailscale.com/kb/1223/funnel
 */
export interface FunnelIngressProps extends IngressBaseProps {
  /**
   * The explicit opt-in: this Ingress is public. Anyone on the internet who knows (or guesses) its
   * name reaches the backends, with no tailnet identity; the backends must authenticate requests
   * themselves.
   */
  readonly public: true;
  /**
   * Tags on the Funnel proxy's device. The policy's `funnel` node attribute is given to exactly
   * these tags, so every device carrying one may be funneled: keep them for Funnel proxies only.
   *
   * @default ['tag:k8s-funnel']
   */
  readonly tags?: readonly string[];
  /**
   * Not supported: the operator serves Funnel from a standalone proxy only (a Tailscale Service
   * on a ProxyGroup cannot be funneled).
   */
  readonly proxyGroup?: never;
}
