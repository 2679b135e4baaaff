import { compareStrings } from '@tailkube/policy/internal';
import { tailnetPlacement } from './operator-tailnet';
import { keyedRecord, type Claim, type TailnetRequirements } from './requirements';
import type { ResolvedProxyGroupProps } from '../validate/proxy-group';
/**
 * The hostnames the operator gives the group's devices: `<prefix>-<i>` for each replica `i`, the
 * prefix defaulting to the group's name. The real MagicDNS names come from the ProxyGroup's
 * status (`status.devices[].hostname`): a name already taken gets `-1`.
 */
export function proxyGroupHostnames(props: ResolvedProxyGroupProps): string[] {
  const prefix = props.hostnamePrefix ?? props.name;
  return Array.from({ length: props.replicas }, (_, i) => `${prefix}-${i}`);
}

/**
 * The Tailscale Service a `kube-apiserver` group serves, `svc:<hostname>`; `undefined` for other
 * types (Services and Ingresses on an ingress group bring their own).
 */
export function proxyGroupServiceName(props: ResolvedProxyGroupProps): string | undefined {
  return props.kubeAPIServer && `svc:${props.kubeAPIServer.hostname}`;
}

/**
 * What a ProxyGroup needs from the tailnet: its tags owned by the operator's, its devices'
 * hostnames, and its cluster-scoped name. A `kube-apiserver` group also serves a Tailscale Service
 * tagged with the group's tags: it is approved for exactly those tags (`autoApprovers.services`),
 * needs the `services` OAuth scope, and its hostname shares MagicDNS with every device, so it counts
 * among the hostnames. Tailscale Services on an ingress group are approved by the Services and
 * Ingresses that use it.
 */
export function proxyGroupRequirements(source: string, props: ResolvedProxyGroupProps): TailnetRequirements {
  const service = proxyGroupServiceName(props);
  return {
    source,
    ...tailnetPlacement(props.operatorTailnet),
    proxyTags: props.tags,
    // A `kube-apiserver` group runs k8s-proxy without the privileged init container.
    ...(props.type === 'kube-apiserver' && { privilegedPods: false }),
    claims: [
      { kind: 'cluster-object', field: 'name', objectKind: 'ProxyGroup', name: props.name },
      ...proxyGroupHostnames(props).map((hostname): Claim => ({
        kind: 'hostname',
        field: 'hostnamePrefix',
        hostname,
      })),
      ...(props.kubeAPIServer
        ? [
            {
              kind: 'hostname',
              field: 'kubeAPIServer.hostname',
              hostname: props.kubeAPIServer.hostname,
            } as const,
          ]
        : []),
    ],
    ...(service !== undefined && {
      autoApprovers: { services: keyedRecord([[service, [...props.tags].sort(compareStrings)]]) },
      oauthScopes: ['services'],
    }),
  };
}
