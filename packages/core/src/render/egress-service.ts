import { compareStrings } from '@tailkube/policy/internal';
import type { EgressPort } from '../props/egress-service';
import type { Grant } from '@tailkube/policy';
import type { AccessIntent, TailnetRequirements } from '../policy/requirements';
import {
  MAX_EGRESS_PORTS_PER_PROXY_GROUP,
  type ResolvedEgressServiceProps,
} from '../validate/egress-service';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';

/** The annotations and label the operator reads on an egress Service. */
export const EGRESS_SERVICE_KEYS = {
  /** The target's MagicDNS name. */
  tailnetFqdn: 'tailscale.com/tailnet-fqdn',
  /** The target's tailnet IP. */
  tailnetIp: 'tailscale.com/tailnet-ip',
  /** The egress ProxyGroup that carries the traffic. */
  proxyGroup: 'tailscale.com/proxy-group',
  /** Comma-separated tags of a standalone proxy's device. */
  tags: 'tailscale.com/tags',
  /** A standalone proxy's device hostname. */
  hostname: 'tailscale.com/hostname',
  /** The ProxyClass of a standalone proxy (a label). */
  proxyClass: 'tailscale.com/proxy-class',
} as const;

/**
 * The `externalName` an egress Service is created with. Kubernetes requires one on an
 * `ExternalName` Service; the operator replaces it with the name of the proxy's Service.
 */
export const EXTERNAL_NAME_PLACEHOLDER = 'placeholder';

/**
 * The egress Service: `type: ExternalName` with the target's annotation, in the user's namespace.
 * The operator rewrites `spec.externalName` to point at the proxy.
 */
export function renderEgressService(props: ResolvedEgressServiceProps): KubeObject {
  const standalone = props.proxyGroup === undefined;
  const annotations: Record<string, string> = {
    ...(props.tailnetFqdn !== undefined && { [EGRESS_SERVICE_KEYS.tailnetFqdn]: props.tailnetFqdn }),
    ...(props.tailnetIp !== undefined && { [EGRESS_SERVICE_KEYS.tailnetIp]: props.tailnetIp }),
    ...(props.proxyGroup && { [EGRESS_SERVICE_KEYS.proxyGroup]: props.proxyGroup.name }),
    ...(standalone && { [EGRESS_SERVICE_KEYS.tags]: props.proxyTags.join(',') }),
    ...(props.hostname !== undefined && { [EGRESS_SERVICE_KEYS.hostname]: props.hostname }),
  };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: props.name,
      namespace: props.namespace,
      labels: {
        ...MANAGED_BY_LABELS,
        ...(props.proxyClass && { [EGRESS_SERVICE_KEYS.proxyClass]: props.proxyClass.name }),
      },
      annotations,
    },
    spec: {
      type: 'ExternalName',
      externalName: EXTERNAL_NAME_PLACEHOLDER,
      ports: props.ports.map((port) => ({
        ...(port.name !== undefined && { name: port.name }),
        port: port.port,
        protocol: port.protocol ?? 'TCP',
      })),
    },
  };
}

/** The name cluster workloads connect to: `<name>.<namespace>.svc.<cluster domain>`. */
export function egressServiceDnsName(props: ResolvedEgressServiceProps): string {
  return `${props.name}.${props.namespace}.svc.${props.clusterDomain}`;
}

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
    ...(standalone && { proxyTags: props.proxyTags, hostnames: egressServiceHostnames(props) }),
    grants: [egressServiceGrant(props)],
    ...(props.proxyGroup && {
      proxyGroupPorts: {
        proxyGroup: props.proxyGroup.name,
        ports: props.ports.length,
        limit: MAX_EGRESS_PORTS_PER_PROXY_GROUP,
      },
      proxyGroupUse: {
        kind: 'Service',
        namespace: props.namespace,
        proxyGroup: props.proxyGroup.name,
        list: 'egress',
      },
    }),
    ...(intendedAccess.length > 0 && { intendedAccess }),
  };
}

function protocolOf(port: EgressPort): string {
  return port.protocol ?? 'TCP';
}

function comparePorts(a: EgressPort, b: EgressPort): number {
  return compareStrings(protocolOf(a), protocolOf(b)) || a.port - b.port;
}
