import type { ResolvedEgressServiceProps } from '../validate/egress-service';
import { compareStrings } from '@tailkube/policy/internal';
import type { EgressPort } from '../props/egress-service';
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

/** A port's protocol, `TCP` when unset. */
export function protocolOf(port: EgressPort): string {
  return port.protocol ?? 'TCP';
}

/** Orders ports by protocol, then number. */
export function comparePorts(a: EgressPort, b: EgressPort): number {
  return compareStrings(protocolOf(a), protocolOf(b)) || a.port - b.port;
}
