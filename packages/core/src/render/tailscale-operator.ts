import { K8S_PROXY_IMAGE, OPERATOR_CHART_NAME, OPERATOR_CHART_REPOSITORY } from '../versions';
import { DEFAULT_OPERATOR_SECRET } from '../props/operator-credentials';
import type { ImageOptions } from '../props/common';
import type { OperatorApiServerProxy } from '../props/tailscale-operator';
import type { ResolvedTailscaleOperatorProps } from '../validate/tailscale-operator';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';

/** The label Pod Security Admission reads; proxies need privileged pods. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** The Helm release name of the operator; the chart names its objects after it. */
export const OPERATOR_RELEASE_NAME = 'tailscale-operator';

/** The chart, where it comes from, and which version. */
export interface OperatorChart {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  readonly releaseName: string;
  readonly namespace: string;
}

/** The operator's chart reference. */
export function operatorChart(props: ResolvedTailscaleOperatorProps): OperatorChart {
  return {
    repository: OPERATOR_CHART_REPOSITORY,
    chart: OPERATOR_CHART_NAME,
    version: props.version,
    releaseName: OPERATOR_RELEASE_NAME,
    namespace: props.namespace,
  };
}

/**
 * The operator's namespace, labelled so its privileged proxy pods are admitted. The operator runs
 * every proxy in its own namespace, so no other namespace needs the label.
 */
export function renderOperatorNamespace(props: ResolvedTailscaleOperatorProps): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: props.namespace,
      labels: { ...MANAGED_BY_LABELS, [POD_SECURITY_ENFORCE_LABEL]: 'privileged' },
    },
  };
}

/**
 * The chart values, typed props rendered in the chart's own shape. Only what differs from the
 * chart's defaults is set, plus what tailkube pins. Credentials that are secrets are not here:
 * each flavor adds them its own way. `apiServerProxy` is what the program's `ApiServerProxy`
 * constructs need from the chart.
 *
 * @see https://github.com/tailscale/tailscale/blob/v1.102.3/cmd/k8s-operator/deploy/chart/values.yaml
 */
export function renderOperatorValues(
  props: ResolvedTailscaleOperatorProps,
  apiServerProxy: OperatorApiServerProxy = {},
): Record<string, unknown> {
  const credentials = props.credentials;
  return prune({
    oauth:
      credentials.kind === 'workload-identity'
        ? prune({ clientId: credentials.clientId, audience: credentials.audience })
        : undefined,
    oauthSecretVolume:
      credentials.kind === 'existing-secret' && credentials.secretName !== DEFAULT_OPERATOR_SECRET
        ? { secret: { secretName: credentials.secretName } }
        : undefined,
    loginServer: props.loginServer,
    operatorConfig: prune({
      defaultTags: [...props.tags],
      image: renderImage(props.operatorImage),
      logging: props.logging,
      hostname: props.hostname,
      nodeSelector: props.nodeSelector,
      resources: props.resources,
      tolerations: props.tolerations,
      affinity: props.affinity,
      priorityClassName: props.priorityClassName,
      podSecurityContext: props.podSecurityContext,
      securityContext: props.securityContext,
      // The chart cannot pin this image; without it the operator runs k8s-proxy:latest.
      extraEnv: [{ name: 'K8S_PROXY_IMAGE', value: K8S_PROXY_IMAGE }],
    }),
    ingressClass:
      props.ingressClassName === undefined && props.createIngressClass === undefined
        ? undefined
        : prune({ name: props.ingressClassName, enabled: props.createIngressClass }),
    proxyConfig: prune({
      image: renderImage(props.proxyImage),
      // The chart passes this value through as one comma-separated string; a YAML list breaks it.
      defaultTags: props.defaultProxyTags.join(','),
      firewallMode: props.firewallMode,
      defaultProxyClass: props.defaultProxyClass?.name,
    }),
    apiServerProxyConfig: renderApiServerProxyConfig(apiServerProxy),
    imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
  });
}

/**
 * The chart's `apiServerProxyConfig`, when a proxy needs it. Both values are strings the chart
 * compares as such: `mode` takes only `"true"` (auth), `"noauth"` and `"false"`, and the operator
 * stops on any other value, so `auth` is rendered as `"true"`.
 */
function renderApiServerProxyConfig(use: OperatorApiServerProxy): Record<string, unknown> | undefined {
  if (use.inProcessMode === undefined && !use.allowImpersonation) return undefined;
  return prune({
    mode: use.inProcessMode === undefined ? undefined : IN_PROCESS_MODE_VALUES[use.inProcessMode],
    allowImpersonation: use.allowImpersonation ? 'true' : undefined,
  });
}

/** The chart's `apiServerProxyConfig.mode` value for each proxy mode. */
const IN_PROCESS_MODE_VALUES = { auth: 'true', noauth: 'noauth' } as const;

function renderImage(image: ImageOptions | undefined): Record<string, unknown> | undefined {
  return image ? prune({ repository: image.repository, digest: image.digest }) : undefined;
}

/** Drops `undefined` fields so rendered values hold only what was set. */
export function prune<T extends Record<string, unknown>>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
