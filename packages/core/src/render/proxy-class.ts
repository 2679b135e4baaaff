import type { ProxyPod } from '../props/proxy-class';
import type { TailnetRequirements } from '../policy/requirements';
import type { ResolvedProxyClassProps } from '../validate/proxy-class';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';
import { TAILSCALE_API_VERSION } from './connector';

/**
 * The ProxyClass object: cluster-scoped, so no namespace. The spec is the props in the CRD's own
 * shape; nothing tailkube adds (no tags, no `TS_*` environment).
 */
export function renderProxyClass(props: ResolvedProxyClassProps): KubeObject {
  const { statefulSet, metrics, tailscale, useLetsEncryptStagingEnvironment, staticEndpoints } = props;
  return {
    apiVersion: TAILSCALE_API_VERSION,
    kind: 'ProxyClass',
    metadata: { name: props.name, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      ...(statefulSet && {
        statefulSet: {
          ...(statefulSet.labels && { labels: { ...statefulSet.labels } }),
          ...(statefulSet.annotations && { annotations: { ...statefulSet.annotations } }),
          ...(statefulSet.pod && { pod: renderPod(statefulSet.pod) }),
        },
      }),
      ...(metrics && { metrics: copyJson(metrics) }),
      ...(tailscale && { tailscale: { ...tailscale } }),
      ...(useLetsEncryptStagingEnvironment !== undefined && { useLetsEncryptStagingEnvironment }),
      ...(staticEndpoints && { staticEndpoints: copyJson(staticEndpoints) }),
    },
  };
}

/**
 * A deep copy of JSON props. Not `structuredClone`: its arrays belong to Node's own realm, and
 * under jest's sandbox Pulumi then serializes them as objects keyed "0", "1", ….
 */
function copyJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function renderPod(pod: ProxyPod): Record<string, unknown> {
  const { imagePullSecrets, ...rest } = pod;
  return {
    ...copyJson(rest),
    ...(imagePullSecrets && { imagePullSecrets: imagePullSecrets.map((name) => ({ name })) }),
  };
}

/**
 * What a ProxyClass needs from the tailnet: nothing in the policy (it carries no tags), only its
 * static endpoint NodePorts, so the program can check no two ProxyClasses take the same ones.
 */
export function proxyClassRequirements(source: string, props: ResolvedProxyClassProps): TailnetRequirements {
  const ports = props.staticEndpoints?.nodePort.ports ?? [];
  return {
    source,
    clusterObjects: [{ kind: 'ProxyClass', name: props.name }],
    ...(ports.length > 0 && {
      staticEndpointPorts: ports.map((r) => ({ port: r.port, endPort: r.endPort ?? r.port })),
    }),
  };
}
