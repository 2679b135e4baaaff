import {
  BUILT_IN_CLUSTER_ROLES,
  SUPERUSER_GROUP,
  type ApiServerProxyAccessOptions,
  type ApiServerProxyProps,
} from '../props/api-server-proxy';
import {
  API_SERVER_PROXY_MODES,
  DEFAULT_API_SERVER_PROXY_MODE,
  type ApiServerProxyMode,
} from '../props/proxy-group';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import { checkHostname, checkObjectName, checkTag } from './scalars';
import { API_SERVER_PROXY_ACCESS_SHAPE, API_SERVER_PROXY_SHAPE } from './props-shapes';
import { checkShape } from './shape';
import { checkedProps } from './plain-data';
import { withFields } from './with-fields';

/** Where an API server proxy runs. */
export type ApiServerProxyPlacement = 'in-process' | 'proxy-group';

/** {@link ApiServerProxyProps} with every default applied and the placement worked out. */
export interface ResolvedApiServerProxyProps extends ApiServerProxyProps {
  readonly name: string;
  readonly mode: ApiServerProxyMode;
  readonly placement: ApiServerProxyPlacement;
  /** Tags of the devices the proxy runs on: the operator's, or the ProxyGroup's. */
  readonly nodeTags: readonly string[];
  /** The hostname clients reach the proxy at: the operator's, or the ProxyGroup's Service's. */
  readonly hostname: string;
  /** The Tailscale Service `svc:<hostname>` a ProxyGroup serves; absent in-process. */
  readonly serviceName?: string;
}

/**
 * Applies defaults to an ApiServerProxy's props, works out where it runs and checks them, throwing
 * the first {@link ValidationError} for `path`. `defaultName` names it when the props give none.
 */
export function resolveApiServerProxyProps(
  path: string,
  defaultName: string,
  given: ApiServerProxyProps,
): ResolvedApiServerProxyProps {
  const props = checkedProps(path, given, API_SERVER_PROXY_SHAPE);
  // Checked before anything is read from the references, which plain JavaScript may leave out.
  validateProps(path, props, REFERENCE_RULES);
  const group = props.proxyGroup;
  const hostname = group ? (group.kubeAPIServer?.hostname ?? group.name) : props.operator.hostname;
  const resolved: ResolvedApiServerProxyProps = withFields(props, {
    name: props.name ?? defaultName,
    mode: group
      ? (group.kubeAPIServer?.mode ?? DEFAULT_API_SERVER_PROXY_MODE)
      : (props.mode ?? DEFAULT_API_SERVER_PROXY_MODE),
    placement: group ? 'proxy-group' : 'in-process',
    nodeTags: group ? group.tags : props.operator.tags,
    hostname,
    ...(group && { serviceName: `svc:${hostname}` }),
  });
  validateProps(path, resolved, API_SERVER_PROXY_RULES);
  return resolved;
}

const REFERENCE_RULES: readonly Rule<ApiServerProxyProps>[] = [
  (p) =>
    typeof p.operator === 'object' && p.operator !== null && Array.isArray(p.operator.tags)
      ? undefined
      : { field: 'operator', value: p.operator, allowed: "the program's TailscaleOperator" },
  (p) =>
    p.proxyGroup === undefined || p.proxyGroup.proxyGroupType === 'kube-apiserver'
      ? undefined
      : {
          field: 'proxyGroup',
          value: `${p.proxyGroup.name} of type ${JSON.stringify(p.proxyGroup.proxyGroupType)}`,
          allowed: 'a ProxyGroup of type "kube-apiserver"',
          hint: 'the API server proxy runs only on a `kube-apiserver` ProxyGroup; create one for it',
        },
  (p) => oneOf('mode', p.mode, API_SERVER_PROXY_MODES),
  (p) => {
    const groupMode = p.proxyGroup?.kubeAPIServer?.mode ?? DEFAULT_API_SERVER_PROXY_MODE;
    return p.proxyGroup && p.mode !== undefined && p.mode !== groupMode
      ? {
          field: 'mode',
          value: p.mode,
          allowed: `absent or ${JSON.stringify(groupMode)}, the mode of ProxyGroup "${p.proxyGroup.name}"`,
          hint: "set the mode on the ProxyGroup's `kubeAPIServer.mode`",
        }
      : undefined;
  },
];

const API_SERVER_PROXY_RULES: readonly Rule<ResolvedApiServerProxyProps>[] = [
  (p) => checkObjectName(p.name, 'name'),
  (p) =>
    p.nodeTags.length === 0
      ? {
          field: p.proxyGroup ? 'proxyGroup.tags' : 'operator.tags',
          value: p.nodeTags,
          allowed: 'at least one tag: the capability is granted to the tags of the devices the proxy runs on',
        }
      : checkEach(p.proxyGroup ? 'proxyGroup.tags' : 'operator.tags', p.nodeTags, checkTag),
  (p) => checkHostname(p.hostname, p.proxyGroup ? 'proxyGroup.kubeAPIServer.hostname' : 'operator.hostname'),
];

/**
 * Groups no one should impersonate through the proxy: Kubernetes reserves `system:` groups for its
 * own identities, and binding one (such as `system:authenticated`) would reach far beyond the
 * principal. `system:masters` is the exception, allowed only on request.
 */
const RESERVED_GROUP_PREFIX = 'system:';
/** A Kubernetes group name as an impersonation header carries it: printable, no outer spaces. */
const GROUP_PATTERN = /^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u;

/**
 * Checks what principals are granted on a proxy in `mode`, throwing the first
 * {@link ValidationError} for `path`.
 */
export function checkApiServerProxyAccess(
  path: string,
  mode: ApiServerProxyMode,
  options: ApiServerProxyAccessOptions,
): void {
  checkShape(path, options, API_SERVER_PROXY_ACCESS_SHAPE, 'options');
  validateProps(path, { options }, [
    ({ options: o }) => (mode === 'auth' ? checkAuthOptions(o) : checkNoAuthOptions(o)),
    ({ options: o }) => checkClusterRole(o.clusterRole),
    ({ options: o }) => checkRecorder(o),
    ({ options: o }) => checkBindingName(o),
  ]);
}

function checkAuthOptions(o: ApiServerProxyAccessOptions): Violation | undefined {
  if (!Array.isArray(o.groups) || o.groups.length === 0) {
    return {
      field: 'groups',
      value: o.groups,
      allowed: 'at least one Kubernetes group to impersonate',
      hint: 'in `auth` mode the groups are what RBAC sees; name one and bind it with `clusterRole`',
    };
  }
  return (
    checkEach('groups', o.groups, (group, field) => checkGroup(group, field, o)) ??
    checkUnique('groups', o.groups)
  );
}

function checkGroup(group: string, field: string, o: ApiServerProxyAccessOptions): Violation | undefined {
  if (typeof group !== 'string' || !GROUP_PATTERN.test(group)) {
    return { field, value: group, allowed: 'a Kubernetes group name: printable, without outer spaces' };
  }
  if (group === SUPERUSER_GROUP) {
    return o.allowSystemMasters === true
      ? undefined
      : {
          field,
          value: group,
          allowed: 'a group other than "system:masters" unless `allowSystemMasters: true` is set',
          hint: 'system:masters bypasses RBAC entirely; prefer a group bound to "cluster-admin", or set `allowSystemMasters: true` if that is intended',
        };
  }
  if (group.startsWith(RESERVED_GROUP_PREFIX)) {
    return {
      field,
      value: group,
      allowed: 'a group outside the "system:" prefix Kubernetes reserves for its own identities',
      hint: 'name a group of your own and bind it with `clusterRole`',
    };
  }
  return undefined;
}

function checkNoAuthOptions(o: ApiServerProxyAccessOptions): Violation | undefined {
  for (const field of ['groups', 'clusterRole', 'clusterRoleBindingName', 'allowSystemMasters'] as const) {
    if (o[field] !== undefined) {
      return {
        field,
        value: o[field],
        allowed: 'absent in `noauth` mode',
        hint: "a `noauth` proxy passes requests through unmodified, so the caller's own credentials apply and nothing is impersonated",
      };
    }
  }
  return undefined;
}

function checkClusterRole(role: ApiServerProxyAccessOptions['clusterRole']): Violation | undefined {
  if (role === undefined) return undefined;
  if (typeof role === 'string') {
    return (BUILT_IN_CLUSTER_ROLES as readonly string[]).includes(role)
      ? undefined
      : {
          field: 'clusterRole',
          value: role,
          allowed: `one of ${BUILT_IN_CLUSTER_ROLES.map((r) => JSON.stringify(r)).join(', ')}, or a ClusterRole reference`,
          hint: `pass a ClusterRole the program defines, or \`{ name: ${JSON.stringify(role)} }\` for one the cluster has`,
        };
  }
  return checkObjectName(role.name, 'clusterRole.name');
}

function checkRecorder(o: ApiServerProxyAccessOptions): Violation | undefined {
  if (o.recorder === undefined) {
    if (o.enforceRecorder) {
      return {
        field: 'enforceRecorder',
        value: true,
        allowed: 'absent or false without a `recorder`',
        hint: 'with no recorder to reach, every enforced session would fail; pass the Recorder',
      };
    }
    // k8s-operator/api-proxy/proxy.go: events go to the recorder addresses the capability names.
    return o.enableEvents
      ? {
          field: 'enableEvents',
          value: true,
          allowed: 'absent or false without a `recorder`',
          hint: 'events are sent to the recorder; with none, nothing is recorded; pass the Recorder',
        }
      : undefined;
  }
  const tags = o.recorder.tags;
  if (!Array.isArray(tags) || tags.length === 0) {
    return { field: 'recorder.tags', value: tags, allowed: 'at least one tag' };
  }
  return checkEach('recorder.tags', tags, checkTag);
}

/**
 * An RBAC object name, as the API server checks a ClusterRoleBinding's (`ValidateRBACName`, which
 * is `path.IsValidPathSegmentName` in kubernetes/pkg/apis/rbac/validation/validation.go): not `.`
 * or `..`, no `/` or `%`.
 */
function checkRbacName(value: unknown, field: string): Violation | undefined {
  if (typeof value === 'string' && value !== '' && value !== '.' && value !== '..' && !/[/%]/.test(value)) {
    return undefined;
  }
  return { field, value, allowed: 'an RBAC object name: not empty, "." or "..", and without "/" or "%"' };
}

/** A binding name names one binding: `clusterRole` must bind exactly one group. */
function checkBindingName(o: ApiServerProxyAccessOptions): Violation | undefined {
  const name = o.clusterRoleBindingName;
  if (name === undefined) return undefined;
  const field = 'clusterRoleBindingName';
  const bad = checkRbacName(name, field);
  if (bad) return bad;
  if (o.clusterRole === undefined) {
    return {
      field,
      value: name,
      allowed: 'absent without `clusterRole`: no binding is created to name',
    };
  }
  const bound = (o.groups ?? []).filter((group) => group !== SUPERUSER_GROUP);
  return bound.length === 1
    ? undefined
    : {
        field,
        value: name,
        allowed: `absent when \`clusterRole\` binds ${bound.length} groups: one name names one binding`,
        hint: 'bind each group in its own `grantAccess` call to name each binding',
      };
}

function oneOf(field: string, value: string | undefined, allowed: readonly string[]): Violation | undefined {
  if (value === undefined || allowed.includes(value)) return undefined;
  return { field, value, allowed: `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
}
