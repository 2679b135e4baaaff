import { DEFAULT_PROXY_TAGS, type IProxyClass, type ProxyGroupType } from '../props/common';
import {
  API_SERVER_PROXY_MODES,
  DEFAULT_API_SERVER_PROXY_MODE,
  DEFAULT_PROXY_GROUP_REPLICAS,
  PROXY_GROUP_TYPES,
  type ProxyGroupAttributes,
  type ProxyGroupProps,
  type ResolvedKubeAPIServer,
} from '../props/proxy-group';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import { checkTailnetReference } from './operator-tailnet';
import type { TailnetReference } from '../props/operator-tailnet';
import {
  DNS_LABEL_PATTERN,
  HOSTNAME_PATTERN,
  checkHostnamePrefix,
  checkObjectName,
  checkTag,
  checkReplicas,
} from './scalars';
import { PROXY_GROUP_SHAPE, PROXY_GROUP_ATTRIBUTES_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';
import { withFields } from './with-fields';

/** {@link ProxyGroupProps} with every default applied. */
export interface ResolvedProxyGroupProps<T extends ProxyGroupType = ProxyGroupType> {
  readonly type: T;
  readonly name: string;
  readonly replicas: number;
  readonly hostnamePrefix?: string;
  readonly tags: readonly string[];
  readonly proxyClass?: IProxyClass;
  readonly operatorTailnet?: TailnetReference;
  /** Set for a `kube-apiserver` group only. */
  readonly kubeAPIServer?: ResolvedKubeAPIServer;
}

/**
 * The longest ProxyGroup name whose StatefulSet gets pods: Kubernetes labels each pod with
 * `controller-revision-hash: <name>-<hash of up to 10 characters>`, a label value of at most 63.
 */
const MAX_NAME_LENGTH = 52;
/**
 * The ServiceAccount the chart creates for `auth`-mode API server proxies; any other ProxyGroup of
 * that name would take it over, so the operator refuses one (`proxygroup.go` `validate`).
 */
export const AUTH_API_SERVER_PROXY_SERVICE_ACCOUNT = 'kube-apiserver-auth-proxy';

/** The raw props, with the defaults the rules need; `kubeAPIServer` is checked as given. */
interface CheckedProps extends Omit<ProxyGroupProps, 'kubeAPIServer'> {
  readonly name: string;
  readonly replicas: number;
  readonly tags: readonly string[];
  readonly kubeAPIServer?: { readonly mode?: unknown; readonly hostname?: unknown };
}

/**
 * Applies defaults to a ProxyGroup's props and checks them against the CRD and the operator's own
 * checks, throwing the first {@link ValidationError} for `path`. `defaultName` is the object name
 * when the props give none.
 */
export function resolveProxyGroupProps<T extends ProxyGroupType>(
  path: string,
  defaultName: string,
  given: ProxyGroupProps<T>,
): ResolvedProxyGroupProps<T> {
  const props = checkedProps(path, given, PROXY_GROUP_SHAPE);
  const checked: CheckedProps = withFields(props, {
    name: props.name ?? defaultName,
    replicas: props.replicas ?? DEFAULT_PROXY_GROUP_REPLICAS,
    tags: props.tags ?? DEFAULT_PROXY_TAGS,
  });
  validateProps(path, checked, PROXY_GROUP_RULES);
  const { kubeAPIServer, ...rest } = checked;
  return withFields(rest, {
    type: props.type,
    ...(props.type === 'kube-apiserver' && {
      kubeAPIServer: {
        mode:
          (kubeAPIServer?.mode as ResolvedKubeAPIServer['mode'] | undefined) ?? DEFAULT_API_SERVER_PROXY_MODE,
        hostname: (kubeAPIServer?.hostname as string | undefined) ?? checked.name,
      },
    }),
  });
}

/**
 * Checks the attributes of a ProxyGroup the program does not own and applies their defaults,
 * throwing the first {@link ValidationError} for `path`.
 */
export function resolveProxyGroupAttributes<T extends ProxyGroupType>(
  path: string,
  given: ProxyGroupAttributes<T>,
): Required<ProxyGroupAttributes<T>> {
  const attributes = checkedProps(path, given, PROXY_GROUP_ATTRIBUTES_SHAPE);
  const resolved = withFields(attributes, {
    tags: attributes.tags ?? DEFAULT_PROXY_TAGS,
    replicas: attributes.replicas ?? DEFAULT_PROXY_GROUP_REPLICAS,
  });
  validateProps(path, resolved, [
    (p) => checkProxyGroupName(p.name),
    (p) => checkType(p.type),
    (p) => checkTags(p.tags),
    (p) => checkReplicas(p.replicas),
  ]);
  return resolved;
}

const PROXY_GROUP_RULES: readonly Rule<CheckedProps>[] = [
  (p) => checkProxyGroupName(p.name),
  (p) => checkType(p.type),
  (p) => checkReplicas(p.replicas),
  (p) =>
    p.hostnamePrefix === undefined ? undefined : checkHostnamePrefix(p.hostnamePrefix, 'hostnamePrefix'),
  (p) => checkLastHostname(p),
  (p) => checkTags(p.tags),
  (p) => (p.proxyClass ? checkObjectName(p.proxyClass.name, 'proxyClass.name') : undefined),
  (p) =>
    p.kubeAPIServer !== undefined && p.type !== 'kube-apiserver'
      ? {
          field: 'kubeAPIServer',
          value: p.kubeAPIServer,
          allowed: 'absent unless `type` is "kube-apiserver"',
          hint: `a ProxyGroup of type "${p.type}" has no API server proxy`,
        }
      : undefined,
  (p) => checkApiServerMode(p.kubeAPIServer?.mode),
  (p) => checkApiServerHostname(p.kubeAPIServer?.hostname),
  (p) => checkAuthProxyServiceAccount(p),
  (p) => checkTailnetReference(p.operatorTailnet, 'operatorTailnet'),
];

/** A DNS label short enough for the group's StatefulSet, pods and default hostnames. */
function checkProxyGroupName(name: string): Violation | undefined {
  const bad = checkObjectName(name, 'name');
  if (bad) return bad;
  if (DNS_LABEL_PATTERN.test(name) && name.length <= MAX_NAME_LENGTH) return undefined;
  return {
    field: 'name',
    value: name,
    allowed: `a DNS label of at most ${MAX_NAME_LENGTH} lower-case letters, digits and dashes`,
    hint: 'the name is the StatefulSet of the proxies, whose pods Kubernetes names "<name>-<i>" and labels with "<name>-<hash>"',
  };
}

function checkType(type: unknown): Violation | undefined {
  if ((PROXY_GROUP_TYPES as readonly unknown[]).includes(type)) return undefined;
  return { field: 'type', value: type, allowed: 'one of "ingress", "egress", "kube-apiserver"' };
}

function checkTags(tags: readonly string[]): Violation | undefined {
  if (!Array.isArray(tags) || tags.length === 0) {
    return { field: 'tags', value: tags, allowed: 'at least one tag (leave `tags` out for ["tag:k8s"])' };
  }
  return checkEach('tags', tags, checkTag) ?? checkUnique('tags', tags);
}

/**
 * The operator names replica `i` `<prefix>-<i>`: the last one must still be a device hostname (a
 * longer name would be cut, and two devices could then ask for the same one).
 */
function checkLastHostname(p: CheckedProps): Violation | undefined {
  if (p.replicas === 0) return undefined;
  const last = `${p.hostnamePrefix ?? p.name}-${p.replicas - 1}`;
  if (HOSTNAME_PATTERN.test(last)) return undefined;
  const field = p.hostnamePrefix === undefined ? 'name' : 'hostnamePrefix';
  return {
    field,
    value: p.hostnamePrefix ?? p.name,
    allowed: `a ${field} short enough that the last replica's hostname "${last}" is at most 63 characters`,
  };
}

function checkApiServerMode(mode: unknown): Violation | undefined {
  if (mode === undefined || (API_SERVER_PROXY_MODES as readonly unknown[]).includes(mode)) return undefined;
  return { field: 'kubeAPIServer.mode', value: mode, allowed: 'one of "auth", "noauth"' };
}

function checkApiServerHostname(hostname: unknown): Violation | undefined {
  if (hostname === undefined || (typeof hostname === 'string' && DNS_LABEL_PATTERN.test(hostname))) {
    return undefined;
  }
  return {
    field: 'kubeAPIServer.hostname',
    value: hostname,
    allowed: 'a DNS label of at most 63 lower-case letters, digits and dashes',
  };
}

/** Only an `auth`-mode API server proxy may bear the name of the chart's ServiceAccount. */
function checkAuthProxyServiceAccount(p: CheckedProps): Violation | undefined {
  if (p.name !== AUTH_API_SERVER_PROXY_SERVICE_ACCOUNT) return undefined;
  const mode = p.kubeAPIServer?.mode ?? DEFAULT_API_SERVER_PROXY_MODE;
  if (p.type === 'kube-apiserver' && mode === 'auth') return undefined;
  return {
    field: 'name',
    value: p.name,
    allowed: `a name other than "${AUTH_API_SERVER_PROXY_SERVICE_ACCOUNT}"`,
    hint: "the group's ServiceAccount would take over the one the chart creates for the API server proxy in auth mode",
  };
}
