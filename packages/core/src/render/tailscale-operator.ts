import { compareStrings } from '@tailkube/policy/internal';
import {
  OPERATOR_CHART_NAME,
  OPERATOR_CHART_REPOSITORY,
  TAILSCALE_IMAGE_NAMES,
  tailscaleImage,
  type TailscaleImage,
  type TailscaleImageName,
} from '../versions';
import { DEFAULT_OPERATOR_SECRET } from '../props/operator-credentials';
import type { ImageOptions } from '../props/common';
import {
  OPERATOR_EXTRA_ENV_NAMES,
  type OperatorApiServerProxy,
  type OperatorExtraEnv,
  type OperatorImageOptions,
} from '../props/tailscale-operator';
import type { ResolvedTailscaleOperatorProps } from '../validate/tailscale-operator';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';
import { plainData } from '../validate/plain-data';

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
 * The operator's namespace, or `undefined` when it exists already (`namespaceMode: 'existing'`).
 * The operator runs every proxy in its own namespace, so no other namespace needs the label. A
 * `dedicated` namespace is always labelled so its privileged proxy pods are admitted; a `shared`
 * one only when `privileged` (the program's decision, `decideOperatorNamespace`) says a construct
 * runs privileged pods there.
 */
export function renderOperatorNamespace(
  props: ResolvedTailscaleOperatorProps,
  privileged = true,
): KubeObject | undefined {
  if (props.namespaceMode === 'existing') return undefined;
  const labelled = props.namespaceMode === 'dedicated' || privileged;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: props.namespace,
      labels: { ...MANAGED_BY_LABELS, ...(labelled && { [POD_SECURITY_ENFORCE_LABEL]: 'privileged' }) },
    },
  };
}

/**
 * Every image the operator's release runs, from its chosen `version` and `imageRegistry`, with the
 * per-image overrides (`operatorImage`, `proxyImage`, `k8sProxyImage`) applied. The nameserver and
 * recorder images are the release's: a DNSConfig or Recorder that names none can take them here.
 */
export function operatorImages(
  props: ResolvedTailscaleOperatorProps,
): Readonly<Record<TailscaleImageName, TailscaleImage>> {
  const overrides: Partial<Record<TailscaleImageName, ImageOptions | undefined>> = {
    'k8s-operator': props.operatorImage,
    tailscale: props.proxyImage,
    'k8s-proxy': props.k8sProxyImage,
  };
  return Object.fromEntries(
    TAILSCALE_IMAGE_NAMES.map((name) => {
      const own = overrides[name] ?? {};
      return [
        name,
        tailscaleImage(name, {
          version: props.version,
          ...(props.imageRegistry !== undefined && { registry: props.imageRegistry }),
          ...(own.repository !== undefined && { repository: own.repository }),
          ...(own.tag !== undefined && { tag: own.tag }),
          ...(own.digest !== undefined && { digest: own.digest }),
        }),
      ];
    }),
  ) as Record<TailscaleImageName, TailscaleImage>;
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
  const images = operatorImages(props);
  // Checked as plain data, as `toApiObject` checks an object before cdk8s wraps it.
  return plainData(
    prune({
      // The chart's Deployment template reads this top-level key, not `operatorConfig.annotations`.
      annotations: props.deploymentAnnotations,
      installCRDs: props.installCRDs,
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
        image: renderImage(
          props.operatorImage,
          props.imageRegistry === undefined ? undefined : images['k8s-operator'],
        ),
        logging: props.logging,
        hostname: props.hostname,
        nodeSelector: props.nodeSelector,
        resources: props.resources,
        tolerations: props.tolerations,
        affinity: props.affinity,
        priorityClassName: props.priorityClassName,
        podSecurityContext: props.podSecurityContext,
        securityContext: props.securityContext,
        podAnnotations: props.podAnnotations,
        podLabels: props.podLabels,
        serviceAccountAnnotations: props.serviceAccountAnnotations,
        extraEnv: renderExtraEnv(images['k8s-proxy'], props.extraEnv),
      }),
      ingressClass:
        props.ingressClassName === undefined && props.createIngressClass === undefined
          ? undefined
          : prune({ name: props.ingressClassName, enabled: props.createIngressClass }),
      proxyConfig: prune({
        image: renderImage(
          props.proxyImage,
          props.imageRegistry === undefined ? undefined : images.tailscale,
        ),
        // The chart passes this value through as one comma-separated string; a YAML list breaks it.
        defaultTags: props.defaultProxyTags.join(','),
        firewallMode: props.firewallMode,
        defaultProxyClass: props.defaultProxyClass?.name,
      }),
      apiServerProxyConfig: renderApiServerProxyConfig(apiServerProxy),
      imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
    }),
  );
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

/**
 * A chart `image` block: what the props set, and the repository under `imageRegistry` when one is
 * chosen. The tag is left to the chart, whose appVersion is the chosen version's.
 */
function renderImage(
  image: ImageOptions | OperatorImageOptions | undefined,
  fromRegistry: TailscaleImage | undefined,
): Record<string, unknown> | undefined {
  if (!image && !fromRegistry) return undefined;
  return prune({
    repository: image?.repository ?? fromRegistry?.repository,
    tag: image?.tag,
    digest: image?.digest,
    pullPolicy: image && 'pullPolicy' in image ? image.pullPolicy : undefined,
  });
}

/**
 * `operatorConfig.extraEnv`: the API server proxy image first (the chart cannot pin it; without it
 * the operator runs `k8s-proxy:latest`), then the typed knobs and the raw variables by name.
 */
function renderExtraEnv(
  k8sProxy: TailscaleImage,
  env: OperatorExtraEnv = {},
): { readonly name: string; readonly value: string }[] {
  const { raw, ...typed } = env;
  const rest = [
    ...Object.entries(typed)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => ({
        name: OPERATOR_EXTRA_ENV_NAMES[field as keyof typeof OPERATOR_EXTRA_ENV_NAMES],
        value: String(value),
      })),
    ...Object.entries(raw ?? {}).map(([name, value]) => ({ name, value })),
  ].sort((a, b) => compareStrings(a.name, b.name));
  return [{ name: 'K8S_PROXY_IMAGE', value: k8sProxy.reference }, ...rest];
}

/** Drops `undefined` fields so rendered values hold only what was set. */
export function prune<T extends Record<string, unknown>>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
