import type { Claim, TailnetRequirements } from './requirements';
import type { ResolvedProxyClassProps } from '../validate/proxy-class';
/**
 * What a ProxyClass needs from the tailnet: nothing in the policy (it carries no tags), only its
 * static endpoint NodePorts, so the program can check no two ProxyClasses take the same ones.
 */
export function proxyClassRequirements(source: string, props: ResolvedProxyClassProps): TailnetRequirements {
  const ports = props.staticEndpoints?.nodePort.ports ?? [];
  return {
    source,
    claims: [
      { kind: 'cluster-object', field: 'name', objectKind: 'ProxyClass', name: props.name },
      ...ports.map((r): Claim => ({
        kind: 'node-ports',
        field: 'staticEndpoints.nodePort.ports',
        port: r.port,
        endPort: r.endPort ?? r.port,
      })),
    ],
  };
}
