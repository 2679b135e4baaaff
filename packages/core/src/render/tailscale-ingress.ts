import type { TailnetRequirements } from '../policy/requirements';
import type { ResolvedTailscaleIngressProps } from '../validate/tailscale-ingress';
import { ingressHostname } from '../validate/ingress';
import {
  exposureAccess,
  exposureRequirements,
  type ExposureAccess,
  type ExposureAllowOptions,
  type ExposureTarget,
} from './exposure';
import { ingressPorts, renderIngress } from './ingress';
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

/**
 * The Ingress as the tailnet sees it: a device with its tags (standalone), or the Tailscale
 * Service `svc:<hostname>` on the ProxyGroup, on 443 and, with a redirect or HTTP endpoint, 80.
 */
export function tailscaleIngressTarget(source: string, props: ResolvedTailscaleIngressProps): ExposureTarget {
  return {
    source,
    hostname: ingressHostname(props),
    tags: props.tags,
    ...(props.proxyGroup && { proxyGroup: props.proxyGroup }),
    ports: ingressPorts(props.httpRedirect || props.httpEndpoint),
  };
}

/**
 * What a Tailscale Ingress needs from the tailnet before anyone may reach it: its tags owned by the
 * operator's, its hostname unique in the program and, on a ProxyGroup, `svc:<hostname>` approved
 * for the group's tags with the `services` OAuth scope.
 */
export function tailscaleIngressRequirements(
  source: string,
  props: ResolvedTailscaleIngressProps,
): TailnetRequirements {
  return {
    ...exposureRequirements(tailscaleIngressTarget(source, props)),
    ...(props.proxyGroup && {
      proxyGroupUse: {
        kind: 'Ingress',
        namespace: props.namespace,
        proxyGroup: props.proxyGroup.name,
        list: 'ingress',
      },
    }),
  };
}

/**
 * The grant that lets `principals` reach the Ingress (its tags or `svc:` name, on its ports) and
 * the access it is checked against offline, ready to register.
 */
export function tailscaleIngressAccess(
  source: string,
  props: ResolvedTailscaleIngressProps,
  principals: readonly string[],
  options: ExposureAllowOptions = {},
): ExposureAccess {
  return exposureAccess(tailscaleIngressTarget(source, props), principals, options);
}
