import { ingressPorts } from '../render/ingress';
import type { ResolvedTailscaleIngressProps } from '../validate/tailscale-ingress';
import { ingressHostname } from '../validate/ingress';
import { exposureRequirements, type ExposureTarget } from './exposure';
import type { TailnetRequirements } from './requirements';
import { backendUses } from './exposure';
import { withFields } from '../validate/with-fields';

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
    object: { kind: 'Ingress', namespace: props.namespace },
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
  return withFields(exposureRequirements(tailscaleIngressTarget(source, props)), {
    backends: backendUses(props),
  });
}
