import type { ResolvedTailscaleIngressProps } from '../validate/tailscale-ingress';
import { renderIngress } from './ingress';
import type { KubeObject } from './kube-object';

/** The annotation that puts an Ingress (or Service) on a ProxyGroup. */
export const PROXY_GROUP_ANNOTATION = 'tailscale.com/proxy-group';
/** The annotation that makes a ProxyGroup's Tailscale Service also serve plain HTTP on port 80. */
export const HTTP_ENDPOINT_ANNOTATION = 'tailscale.com/http-endpoint';

/** The Ingress object, with the ProxyGroup and HTTP endpoint annotations when set. */
export function renderTailscaleIngress(props: ResolvedTailscaleIngressProps): KubeObject {
  return renderIngress(props, {
    ...(props.proxyGroup && { [PROXY_GROUP_ANNOTATION]: props.proxyGroup.name }),
    ...(props.httpEndpoint && { [HTTP_ENDPOINT_ANNOTATION]: 'enabled' }),
  });
}
