import { MAX_EGRESS_PORTS_PER_PROXY_GROUP } from '../validate/egress-service';
import type { AccessIntent, Claim, TailnetRequirements } from './requirements';
import { comparePorts, protocolOf } from '../render/egress-service';
import { compareStrings } from '@tailkube/policy/internal';
import type { Grant } from '@tailkube/policy';
import type { ResolvedEgressServiceProps } from '../validate/egress-service';
/**
 * The device hostname a standalone egress proxy asks for (`hostname`, else `<namespace>-<name>`);
 * none on a ProxyGroup, whose devices are the group's.
 */
export function egressServiceHostnames(props: ResolvedEgressServiceProps): string[] {
  if (props.proxyGroup) return [];
  return [props.hostname ?? `${props.namespace}-${props.name}`];
}

/**
 * The grant the traffic needs: from the proxies' tags to the target, on exactly the declared ports
 * and protocols, and nothing more.
 */
export function egressServiceGrant(props: ResolvedEgressServiceProps): Grant {
  return {
    src: [...props.proxyTags].sort(compareStrings),
    dst: [props.policyTarget],
    ip: [...props.ports].sort(comparePorts).map((port) => `${protocolOf(port).toLowerCase()}:${port.port}`),
  };
}

/**
 * What an EgressService needs from the tailnet: a standalone proxy's tags owned by the operator's
 * and its hostname; the grant to the target; and, checked offline, that each proxy tag reaches the
 * target on each declared TCP and UDP port.
 */
export function egressServiceRequirements(
  source: string,
  props: ResolvedEgressServiceProps,
): TailnetRequirements {
  const standalone = props.proxyGroup === undefined;
  const intendedAccess: AccessIntent[] = [...props.proxyTags].sort(compareStrings).flatMap((tag) =>
    [...props.ports]
      .sort(comparePorts)
      .filter((port) => protocolOf(port) !== 'SCTP')
      .map((port): AccessIntent => ({
        src: tag,
        dst: props.policyTarget,
        port: port.port,
        ...(protocolOf(port) === 'UDP' && { proto: 'udp' }),
        expect: 'allow',
      })),
  );
  return {
    source,
    ...(standalone && { proxyTags: props.proxyTags }),
    grants: [egressServiceGrant(props)],
    ...(intendedAccess.length > 0 && { intendedAccess }),
    claims: egressServiceClaims(props),
  };
}

/** A standalone proxy's hostname; on a ProxyGroup, the ports it maps and the group it names. */
function egressServiceClaims(props: ResolvedEgressServiceProps): Claim[] {
  if (props.proxyGroup === undefined) {
    return egressServiceHostnames(props).map((hostname) => ({
      kind: 'hostname',
      field: 'hostname',
      hostname,
    }));
  }
  return [
    {
      kind: 'proxy-group-ports',
      field: 'ports',
      proxyGroup: props.proxyGroup.name,
      ports: props.ports.length,
      limit: MAX_EGRESS_PORTS_PER_PROXY_GROUP,
    },
    {
      kind: 'proxy-group-use',
      field: 'proxyGroup',
      objectKind: 'Service',
      namespace: props.namespace,
      proxyGroup: props.proxyGroup.name,
      list: 'egress',
    },
  ];
}
