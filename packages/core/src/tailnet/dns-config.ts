import type { TailnetRequirements } from './requirements';
import type { ResolvedDNSConfigProps } from '../validate/dns-config';
/** A DNSConfig claims the cluster's one DNSConfig; it needs nothing else from the tailnet. */
export function dnsConfigRequirements(source: string, props: ResolvedDNSConfigProps): TailnetRequirements {
  return {
    source,
    claims: [
      {
        kind: 'cluster-object',
        field: 'name',
        objectKind: 'DNSConfig',
        name: props.name,
        onePerCluster: true,
      },
    ],
  };
}
