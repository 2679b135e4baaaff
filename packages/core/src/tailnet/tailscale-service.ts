import type { ResolvedTailscaleServiceProps } from '../validate/tailscale-service';
import { exposureRequirements, type ExposureTarget } from './exposure';
import type { TailnetRequirements } from './requirements';

/** The tailnet side of the Service: standalone device or `svc:<hostname>` on its ProxyGroup. */
export function tailscaleServiceExposure(
  source: string,
  props: ResolvedTailscaleServiceProps,
): ExposureTarget {
  return {
    source,
    hostname: props.hostname,
    tags: props.tags,
    ...(props.proxyGroup && { proxyGroup: props.proxyGroup }),
    ports: props.ports.map((port) => ({ port: port.port, protocol: port.protocol ?? 'TCP' })),
    object: { kind: 'Service', namespace: props.service.namespace },
  };
}

/** What the Service needs from the tailnet before anyone is allowed to reach it. */
export function tailscaleServiceRequirements(
  source: string,
  props: ResolvedTailscaleServiceProps,
): TailnetRequirements {
  return exposureRequirements(tailscaleServiceExposure(source, props));
}
