import ipaddr from 'ipaddr.js';
import { OPERATOR_CHART_VERSION } from '../versions';
import {
  DEFAULT_OPERATOR_SECRET,
  OPERATOR_CREDENTIAL_KINDS,
  type OperatorCredentials,
} from '../props/operator-credentials';
import {
  FIREWALL_MODES,
  OPERATOR_EXTRA_ENV_NAMES,
  OPERATOR_LOG_LEVELS,
  OPERATOR_NAMESPACE_MODES,
  type OperatorExtraEnv,
  type OperatorImageOptions,
  type OperatorNamespaceMode,
  type TailscaleOperatorProps,
} from '../props/tailscale-operator';
import { IMAGE_PULL_POLICIES } from '../props/proxy-class';
import { DEFAULT_PROXY_TAGS, type ImageOptions } from '../props/common';
import type { OperatorApiServerProxy } from '../props/tailscale-operator';
import type { ApiServerProxyMode } from '../props/proxy-group';
import { ValidationError } from '@tailkube/policy';
import { checkKubeFields } from './kube-schema';
import { checkNoUserinfo } from './userinfo';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import {
  checkAnnotationMap,
  checkHostname,
  checkLabelMap,
  checkNamespace,
  checkObjectName,
  checkTag,
  checkVersion,
} from './scalars';
import { TAILSCALE_OPERATOR_FIELDS, TAILSCALE_OPERATOR_SHAPE } from './props-shapes';
import { object, type Shape } from './shape';
import { checkedProps } from './plain-data';
import { withFields } from './with-fields';

/** What a flavor can do about credentials. */
export interface CredentialsSupport {
  /** Used when the props name no credentials. */
  readonly defaultCredentials: OperatorCredentials;
  /** Whether the flavor can create an OAuth client (Pulumi can, offline cdk8s cannot). */
  readonly createsOAuthClient: boolean;
  /** Whether the flavor can create a federated identity (so `clientId`/`audience` may be omitted). */
  readonly createsFederatedIdentity: boolean;
  /**
   * The shapes of props the flavor adds to the core ones (cdk8s's `gitops`).
   *
   * @default - none
   */
  readonly flavorFields?: Readonly<Record<string, Shape>>;
}

/** {@link TailscaleOperatorProps} with every default applied. */
export interface ResolvedTailscaleOperatorProps extends TailscaleOperatorProps {
  readonly namespace: string;
  readonly namespaceMode: OperatorNamespaceMode;
  readonly version: string;
  readonly hostname: string;
  readonly tags: readonly string[];
  readonly defaultProxyTags: readonly string[];
  readonly credentials: OperatorCredentials;
}

const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
/** An image tag, as the OCI distribution spec allows one. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** An environment variable name, as a container spec takes it. */
const ENV_NAME_PATTERN = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/**
 * Variables the chart's Deployment template sets itself (`templates/deployment.yaml` at the tag),
 * each with the prop that sets it, plus the deprecated `AUTH_PROXY` that `api-server-proxy.go`
 * refuses beside `APISERVER_PROXY`. A raw `extraEnv` entry may not repeat one.
 */
const CHART_ENV_NAMES: Readonly<Record<string, string>> = {
  OPERATOR_INITIAL_TAGS: 'tags',
  OPERATOR_HOSTNAME: 'hostname',
  OPERATOR_SECRET: '(the chart)',
  OPERATOR_LOGGING: 'logging',
  OPERATOR_NAMESPACE: 'namespace',
  OPERATOR_SERVICE_ACCOUNT_NAME: '(the chart)',
  OPERATOR_LOGIN_SERVER: 'loginServer',
  OPERATOR_INGRESS_CLASS_NAME: 'ingressClassName',
  CLIENT_ID: 'credentials',
  CLIENT_ID_FILE: 'credentials',
  CLIENT_SECRET_FILE: 'credentials',
  PROXY_IMAGE: 'proxyImage',
  PROXY_TAGS: 'defaultProxyTags',
  APISERVER_PROXY: 'an ApiServerProxy construct',
  AUTH_PROXY: 'an ApiServerProxy construct',
  PROXY_FIREWALL_MODE: 'firewallMode',
  PROXY_DEFAULT_CLASS: 'defaultProxyClass',
  POD_NAME: '(the chart)',
  POD_UID: '(the chart)',
  K8S_PROXY_IMAGE: 'k8sProxyImage',
  ...Object.fromEntries(
    Object.entries(OPERATOR_EXTRA_ENV_NAMES).map(([field, name]) => [name, `extraEnv.${field}`]),
  ),
};
const REPOSITORY_PATTERN = /^[a-z0-9]+([._/-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const CREDENTIAL_FIELDS: Record<OperatorCredentials['kind'], readonly string[]> = {
  'existing-secret': ['kind', 'secretName'],
  'oauth-client': ['kind'],
  'workload-identity': ['kind', 'issuer', 'clientId', 'audience'],
};

/**
 * Applies defaults to a TailscaleOperator's props and checks them, throwing the first
 * {@link ValidationError} for `path`.
 */
export function resolveTailscaleOperatorProps(
  path: string,
  given: TailscaleOperatorProps,
  support: CredentialsSupport,
): ResolvedTailscaleOperatorProps {
  const props = checkedProps(
    path,
    given,
    support.flavorFields
      ? object({ ...TAILSCALE_OPERATOR_FIELDS, ...support.flavorFields })
      : TAILSCALE_OPERATOR_SHAPE,
  );
  const resolved: ResolvedTailscaleOperatorProps = withFields(props, {
    namespace: props.namespace ?? 'tailscale',
    namespaceMode: props.namespaceMode ?? 'dedicated',
    version: props.version ?? OPERATOR_CHART_VERSION,
    hostname: props.hostname ?? 'tailscale-operator',
    tags: props.tags ?? ['tag:k8s-operator'],
    defaultProxyTags: props.defaultProxyTags ?? DEFAULT_PROXY_TAGS,
    credentials: props.credentials ?? support.defaultCredentials,
  });
  validateProps(path, resolved, operatorRules(support));
  return resolved;
}

function operatorRules(support: CredentialsSupport): readonly Rule<ResolvedTailscaleOperatorProps>[] {
  return [
    (p) => checkNamespace(p.namespace, 'namespace'),
    (p) => checkVersion(p.version, 'version'),
    (p) => checkHostname(p.hostname, 'hostname'),
    (p) => nonEmpty('tags', p.tags) ?? checkEach('tags', p.tags, checkTag) ?? checkUnique('tags', p.tags),
    (p) =>
      nonEmpty('defaultProxyTags', p.defaultProxyTags) ??
      checkEach('defaultProxyTags', p.defaultProxyTags, checkTag) ??
      checkUnique('defaultProxyTags', p.defaultProxyTags),
    (p) => oneOf('namespaceMode', p.namespaceMode, OPERATOR_NAMESPACE_MODES),
    (p) =>
      p.imageRegistry === undefined || REPOSITORY_PATTERN.test(p.imageRegistry)
        ? undefined
        : {
            field: 'imageRegistry',
            value: p.imageRegistry,
            allowed: 'a registry path such as "ghcr.io/tailscale" or "registry.example.com/tailscale"',
          },
    (p) => checkImage('operatorImage', p.operatorImage),
    (p) => oneOf('operatorImage.pullPolicy', p.operatorImage?.pullPolicy, IMAGE_PULL_POLICIES),
    (p) => checkImage('proxyImage', p.proxyImage),
    (p) => checkImage('k8sProxyImage', p.k8sProxyImage),
    (p) => oneOf('firewallMode', p.firewallMode, FIREWALL_MODES),
    (p) => oneOf('logging', p.logging, OPERATOR_LOG_LEVELS),
    (p) =>
      p.defaultProxyClass ? checkObjectName(p.defaultProxyClass.name, 'defaultProxyClass.name') : undefined,
    (p) =>
      p.ingressClassName === undefined ? undefined : checkObjectName(p.ingressClassName, 'ingressClassName'),
    (p) =>
      p.loginServer === undefined
        ? undefined
        : (checkNoUserinfo(
            'loginServer',
            p.loginServer,
            'an absolute http or https URL',
            "the chart writes `loginServer` into the operator's values in plain text; a control server takes no credentials in its URL",
          ) ?? checkUrl('loginServer', p.loginServer, ['http:', 'https:'])),
    (p) =>
      p.priorityClassName === undefined
        ? undefined
        : checkObjectName(p.priorityClassName, 'priorityClassName'),
    (p) => checkEach('imagePullSecrets', p.imagePullSecrets, checkObjectName),
    (p) => checkAnnotationMap('deploymentAnnotations', p.deploymentAnnotations),
    (p) => checkAnnotationMap('podAnnotations', p.podAnnotations),
    (p) => checkLabelMap('podLabels', p.podLabels),
    (p) => checkAnnotationMap('serviceAccountAnnotations', p.serviceAccountAnnotations),
    (p) => checkExtraEnv(p.extraEnv),
    (p) => checkCredentials(p.credentials, p.namespace, support),
    // The chart copies these into the operator's Deployment as written (values.yaml).
    (p) =>
      checkKubeFields([
        { field: 'affinity', type: 'Affinity', value: p.affinity },
        { field: 'tolerations', type: 'Toleration', value: p.tolerations, list: true },
        { field: 'resources', type: 'ResourceRequirements', value: p.resources },
        { field: 'podSecurityContext', type: 'PodSecurityContext', value: p.podSecurityContext },
        { field: 'securityContext', type: 'SecurityContext', value: p.securityContext },
      ]),
  ];
}

function nonEmpty(field: string, items: readonly unknown[]): Violation | undefined {
  return items.length > 0 ? undefined : { field, value: items, allowed: 'at least one entry' };
}

function oneOf(field: string, value: string | undefined, allowed: readonly string[]): Violation | undefined {
  if (value === undefined || allowed.includes(value)) return undefined;
  return { field, value, allowed: `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
}

function checkImage(
  field: string,
  image: ImageOptions | OperatorImageOptions | undefined,
): Violation | undefined {
  if (image?.tag !== undefined && !TAG_PATTERN.test(image.tag)) {
    return { field: `${field}.tag`, value: image.tag, allowed: 'an image tag such as "v1.102.3"' };
  }
  if (image?.repository !== undefined && !REPOSITORY_PATTERN.test(image.repository)) {
    return {
      field: `${field}.repository`,
      value: image.repository,
      allowed: 'an image repository without tag or digest, such as "ghcr.io/tailscale/tailscale"',
    };
  }
  if (image?.digest !== undefined && !DIGEST_PATTERN.test(image.digest)) {
    return {
      field: `${field}.digest`,
      value: image.digest,
      allowed: 'a digest such as "sha256:<64 hex digits>"',
    };
  }
  return undefined;
}

function checkExtraEnv(env: OperatorExtraEnv | undefined): Violation | undefined {
  if (env === undefined) return undefined;
  const { port, proxyPriorityClassName, raw } = env;
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    // operator.go parses TS_PORT as a uint16.
    return { field: 'extraEnv.port', value: port, allowed: 'a UDP port from 1 to 65535' };
  }
  if (proxyPriorityClassName !== undefined) {
    const bad = checkObjectName(proxyPriorityClassName, 'extraEnv.proxyPriorityClassName');
    if (bad) return bad;
  }
  // Its values' type, and a key-shaped value, are refused by the props' shape (props-shapes.ts).
  for (const name of Object.keys(raw ?? {})) {
    const field = `extraEnv.raw[${JSON.stringify(name)}]`;
    if (!ENV_NAME_PATTERN.test(name)) {
      return {
        field,
        value: name,
        allowed: 'an environment variable name: letters, digits, "-", "." and "_", not starting with a digit',
      };
    }
    const owner = CHART_ENV_NAMES[name];
    if (owner !== undefined) {
      return {
        field,
        value: name,
        allowed: 'a variable neither the chart nor tailkube sets',
        hint: owner.startsWith('(') ? 'the chart sets it itself' : `set it with \`${owner}\``,
      };
    }
  }
  return undefined;
}

function checkUrl(field: string, value: string, protocols: readonly string[]): Violation | undefined {
  const allowed = `an absolute ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL`;
  if (!URL.canParse(value)) return { field, value, allowed };
  return protocols.includes(new URL(value).protocol) ? undefined : { field, value, allowed };
}

function checkCredentials(
  credentials: OperatorCredentials,
  namespace: string,
  support: CredentialsSupport,
): Violation | undefined {
  if (!OPERATOR_CREDENTIAL_KINDS.includes(credentials.kind)) {
    return {
      field: 'credentials.kind',
      value: credentials.kind,
      allowed: `one of ${OPERATOR_CREDENTIAL_KINDS.map((k) => JSON.stringify(k)).join(', ')}`,
    };
  }
  const extra = Object.keys(credentials).filter((key) => !CREDENTIAL_FIELDS[credentials.kind].includes(key));
  if (extra.length > 0) {
    return {
      field: `credentials.${extra[0]}`,
      value: '<set>',
      allowed: `absent for ${credentials.kind} credentials (the options of one way conflict with another)`,
      secret: true,
    };
  }
  switch (credentials.kind) {
    case 'existing-secret':
      return checkObjectName(credentials.secretName, 'credentials.secretName');
    case 'oauth-client':
      return support.createsOAuthClient
        ? undefined
        : {
            field: 'credentials',
            value: 'oauth-client',
            allowed: 'an existing Secret or workload identity federation',
            hint: `an offline synth cannot create an OAuth client; create one with the scopes and tags in tailnet-requirements.json and store it as Secret "${DEFAULT_OPERATOR_SECRET}" in namespace "${namespace}"`,
          };
    case 'workload-identity':
      return checkWorkloadIdentity(credentials, support);
  }
}

function checkWorkloadIdentity(
  credentials: Extract<OperatorCredentials, { kind: 'workload-identity' }>,
  support: CredentialsSupport,
): Violation | undefined {
  const field = 'credentials.issuer';
  const allowed = "a public https URL of the cluster's service account issuer, which Tailscale must reach";
  if (!URL.canParse(credentials.issuer)) return { field, value: credentials.issuer, allowed };
  const url = new URL(credentials.issuer);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const internal =
    host === 'localhost' ||
    /\.(local|internal|svc|cluster\.local)$/.test(host) ||
    (ipaddr.isValid(host) && ipaddr.parse(host).range() !== 'unicast');
  if (url.protocol !== 'https:' || internal) {
    return {
      field,
      value: credentials.issuer,
      allowed,
      hint: 'clusters whose issuer is private (most on-premises clusters) need an OAuth client instead',
    };
  }
  if (credentials.clientId !== undefined && credentials.audience === undefined) {
    return {
      field: 'credentials.audience',
      value: undefined,
      allowed:
        "the existing federated identity's audience (without it the chart treats the id as a plain OAuth client)",
    };
  }
  if (!support.createsFederatedIdentity) {
    if (credentials.clientId === undefined) {
      return {
        field: 'credentials.clientId',
        value: undefined,
        allowed: "the federated identity's client id",
      };
    }
    if (credentials.audience === undefined) {
      return {
        field: 'credentials.audience',
        value: undefined,
        allowed: "the federated identity's audience",
      };
    }
  }
  return undefined;
}

/** What one `ApiServerProxy` needs from the operator's chart: where it runs, in which mode. */
export interface ApiServerProxyUse {
  readonly placement: 'in-process' | 'proxy-group';
  readonly mode: ApiServerProxyMode;
}

/**
 * What the program's API server proxies need from one operator's chart, gathered as they are
 * declared and read when the chart values are rendered.
 */
export class OperatorApiServerProxyUses {
  #inProcess: { readonly source: string; readonly mode: ApiServerProxyMode } | undefined;
  #allowImpersonation = false;

  /**
   * Adds what the proxy `source` (`Kind 'path'`) needs. The operator runs at most one in-process
   * proxy, so a second one throws a {@link ValidationError}; a ProxyGroup in `auth` mode turns on
   * the impersonation RBAC its proxies need.
   */
  add(source: string, use: ApiServerProxyUse): void {
    if (use.placement === 'proxy-group') {
      this.#allowImpersonation ||= use.mode === 'auth';
      return;
    }
    if (this.#inProcess) {
      throw new ValidationError({
        path: source,
        field: 'operator',
        value: `an operator already running ${this.#inProcess.source} in its process`,
        allowed: 'an operator without an in-process API server proxy (it runs at most one)',
        hint: 'grant more principals on the first proxy, or run this one on a `kube-apiserver` ProxyGroup',
      });
    }
    this.#inProcess = { source, mode: use.mode };
  }

  /** The chart values' input, as the proxies declared so far need it. */
  get values(): OperatorApiServerProxy {
    return {
      ...(this.#inProcess && { inProcessMode: this.#inProcess.mode }),
      ...(this.#allowImpersonation && { allowImpersonation: true }),
    };
  }
}
