import type { IProxyGroup } from './common';
import type { IngressBaseProps } from './ingress';

/**
 * A Tailscale Ingress: HTTPS on the tailnet only, in front of Services in its namespace. Served by
 * a proxy of its own (standalone: one pod, one tailnet device), or by an ingress ProxyGroup as the
 * Tailscale Service `svc:<hostname>`.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 */
export interface TailscaleIngressProps extends IngressBaseProps {
  /**
   * The ingress ProxyGroup that serves the Ingress as the Tailscale Service `svc:<hostname>`
   * (`tailscale.com/proxy-group`). The service is approved for the group's tags in the policy.
   * Its ProxyClass is the group's: the Ingress sets none.
   *
   * @default - standalone: the operator runs a proxy pod and device for this Ingress alone
   */
  readonly proxyGroup?: IProxyGroup<'ingress'>;
  /**
   * Whether the Tailscale Service also serves plain HTTP on port 80, beside HTTPS
   * (`tailscale.com/http-endpoint`). Only on a ProxyGroup, and not with `httpRedirect`.
   *
   * @default false
   */
  readonly httpEndpoint?: boolean;
}
