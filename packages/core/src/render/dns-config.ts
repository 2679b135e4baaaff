import type { ResolvedDNSConfigProps } from '../validate/dns-config';
import { TAILSCALE_API_VERSION } from './kube-object';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';

/** The domain the nameserver answers for. */
export const TAILNET_DNS_DOMAIN = 'ts.net';

/**
 * The DNSConfig object: cluster-scoped, with the nameserver image always set so it runs the pinned
 * release.
 */
export function renderDNSConfig(props: ResolvedDNSConfigProps): KubeObject {
  const pod = {
    ...(props.nodeSelector && { nodeSelector: { ...props.nodeSelector } }),
    ...(props.tolerations && { tolerations: props.tolerations.map((t) => ({ ...t })) }),
    ...(props.affinity && { affinity: props.affinity }),
  };
  return {
    apiVersion: TAILSCALE_API_VERSION,
    kind: 'DNSConfig',
    metadata: { name: props.name, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      nameserver: {
        image: { repo: props.image.repo, tag: props.image.tag },
        ...(props.replicas !== undefined && { replicas: props.replicas }),
        ...(props.clusterIP !== undefined && { service: { clusterIP: props.clusterIP } }),
        ...(Object.keys(pod).length > 0 && { pod }),
      },
    },
  };
}

/**
 * The CoreDNS server block that forwards `ts.net` to the nameserver at `clusterIP`, as the
 * Kubernetes guide writes a stub domain.
 *
 * @see https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/
 */
export function corednsServerBlock(clusterIP: string): string {
  const upstream = clusterIP.includes(':') ? `[${clusterIP}]:53` : clusterIP;
  return [
    `${TAILNET_DNS_DOMAIN}:53 {`,
    '    errors',
    '    cache 30',
    `    forward . ${upstream}`,
    '}',
    '',
  ].join('\n');
}

/**
 * The ConfigMap that gives CoreDNS the `ts.net` stub domain, when the props ask for it (and so
 * have a `clusterIP`).
 */
export function renderCoreDnsStub(props: ResolvedDNSConfigProps): KubeObject | undefined {
  const stub = props.coreDnsStub;
  if (!stub || props.clusterIP === undefined) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: stub.configMapName, namespace: stub.namespace, labels: { ...MANAGED_BY_LABELS } },
    data: { [stub.key]: corednsServerBlock(props.clusterIP) },
  };
}
