import {
  DEFAULT_INGRESS_CLASS_NAME,
  INGRESS_PATH_TYPES,
  type IngressBackend,
  type IngressBaseProps,
  type IngressPath,
} from '../props/ingress';
import { checkEach, checkUnique, type Rule, type Violation } from './rules';
import {
  HOSTNAME_PATTERN,
  checkHostname,
  checkNamespace,
  checkObjectName,
  checkProxyClassLabel,
  checkTag,
} from './scalars';
import { withFields } from './with-fields';

/** {@link IngressBaseProps} with every default applied. */
export interface ResolvedIngressBaseProps extends IngressBaseProps {
  readonly name: string;
  readonly namespace: string;
  readonly httpRedirect: boolean;
  readonly tags: readonly string[];
  readonly ingressClassName: string;
}

/** What a flavor knows about where an Ingress goes when its props do not say. */
export interface IngressDefaults {
  /** The Ingress's name: the construct id or resource name. */
  readonly name: string;
  /** The Ingress's namespace: the chart's, or `default`. */
  readonly namespace: string;
}

/** The path an Ingress's `defaultBackend` serves. */
const DEFAULT_BACKEND_PATH = '/';

/** A Service name, as an Ingress backend names it (an RFC 1035 label). */
const SERVICE_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A Service port name (an IANA service name): at most 15 characters, at least one letter. */
const PORT_NAME_PATTERN = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
/** What Kubernetes refuses inside a `Prefix` path. */
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
/** What Kubernetes refuses at the end of a `Prefix` path. */
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

/** Applies the defaults every Ingress the operator serves shares; `tags` when the props name none. */
export function resolveIngressBase<P extends IngressBaseProps>(
  props: P,
  defaults: IngressDefaults,
  tags: readonly string[],
): P & ResolvedIngressBaseProps {
  return withFields(props, {
    name: props.name ?? defaults.name,
    namespace: props.namespace ?? defaults.namespace,
    httpRedirect: props.httpRedirect ?? false,
    tags: props.tags ?? tags,
    ingressClassName: props.ingressClassName ?? DEFAULT_INGRESS_CLASS_NAME,
  });
}

/**
 * The hostname the operator gives the Ingress: `hostname`, else `<namespace>-<name>-ingress`.
 * The real MagicDNS name comes from the Ingress's status: a name taken on the tailnet gets `-1`.
 */
export function ingressHostname(props: ResolvedIngressBaseProps): string {
  return props.hostname ?? `${props.namespace}-${props.name}-ingress`;
}

/** The rules every Ingress the operator serves shares, in the order they are checked. */
export const INGRESS_BASE_RULES: readonly Rule<ResolvedIngressBaseProps>[] = [
  (p) => checkObjectName(p.name, 'name'),
  (p) => checkNamespace(p.namespace, 'namespace'),
  (p) => checkIngressHostname(p),
  (p) => checkObjectName(p.ingressClassName, 'ingressClassName'),
  (p) =>
    p.defaultBackend === undefined && (p.paths ?? []).length === 0
      ? {
          field: 'paths',
          value: p.paths,
          allowed: 'at least one path, or a `defaultBackend`',
          hint: 'the operator runs no proxy for an Ingress without backends',
        }
      : undefined,
  (p) => (p.defaultBackend ? checkBackend(p.defaultBackend, 'defaultBackend') : undefined),
  (p) => checkEach('paths', p.paths, checkPath),
  (p) => checkUniquePaths(p),
  (p) =>
    (p.tags.length === 0
      ? {
          field: 'tags',
          value: p.tags,
          allowed: 'at least one tag (leave `tags` out for the default)',
        }
      : undefined) ??
    checkEach('tags', p.tags, checkTag) ??
    checkUnique('tags', p.tags),
  (p) => (p.proxyClass ? checkProxyClassLabel(p.proxyClass.name, 'proxyClass.name') : undefined),
];

/**
 * One hostname, a DNS label. The operator takes the first label of the first host of the first TLS
 * entry and drops the rest: a standalone proxy ignores other hosts with an event, a ProxyGroup
 * refuses the Ingress. A name with dots would read as a custom domain the proxy never serves.
 */
function checkIngressHostname(p: ResolvedIngressBaseProps): Violation | undefined {
  const hostname: unknown = p.hostname;
  if (hostname === undefined) {
    const fallback = ingressHostname(p);
    return HOSTNAME_PATTERN.test(fallback)
      ? undefined
      : {
          field: 'name',
          value: p.name,
          allowed:
            'a name whose default hostname "<namespace>-<name>-ingress" is a DNS label of at most 63 characters',
          hint: `the default would be "${fallback}"; set \`hostname\` explicitly`,
        };
  }
  if (typeof hostname !== 'string') {
    return {
      field: 'hostname',
      value: hostname,
      allowed: 'one hostname',
      hint: 'the operator serves only the first TLS host: a standalone proxy ignores the others with an event and a ProxyGroup refuses the Ingress; use one Ingress per hostname',
    };
  }
  const [label] = hostname.split('.');
  if (hostname.includes('.') && label !== undefined && HOSTNAME_PATTERN.test(label)) {
    return {
      field: 'hostname',
      value: hostname,
      allowed: 'a DNS label (the first label of "<hostname>.<tailnet>.ts.net")',
      hint: `the proxy serves only its MagicDNS name, never a custom domain; did you mean "${label}"?`,
    };
  }
  return checkHostname(hostname, 'hostname');
}

function checkPath(item: IngressPath, field: string): Violation | undefined {
  const pathType: string = item.pathType ?? 'Prefix';
  if (pathType === 'Exact') {
    return {
      field: `${field}.pathType`,
      value: pathType,
      allowed: `one of ${INGRESS_PATH_TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
      hint: 'the operator routes an Exact path as a Prefix, with only a warning event; write "Prefix" to say what happens',
    };
  }
  if (!(INGRESS_PATH_TYPES as readonly string[]).includes(pathType)) {
    return {
      field: `${field}.pathType`,
      value: pathType,
      allowed: `one of ${INGRESS_PATH_TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
    };
  }
  const path: unknown = item.path;
  if (
    typeof path !== 'string' ||
    !/^\/\S*$/.test(path) ||
    INVALID_PATH_SEQUENCES.some((s) => path.includes(s)) ||
    INVALID_PATH_SUFFIXES.some((s) => path.endsWith(s))
  ) {
    return {
      field: `${field}.path`,
      value: path,
      allowed: 'an absolute path such as "/" or "/api", without spaces, "//", "/./" or "/../"',
    };
  }
  return checkBackend(item.backend, `${field}.backend`);
}

/** A Service in the Ingress's namespace, by port number or port name. */
function checkBackend(backend: IngressBackend, field: string): Violation | undefined {
  if (typeof backend?.serviceName !== 'string' || !SERVICE_NAME_PATTERN.test(backend.serviceName)) {
    return {
      field: `${field}.serviceName`,
      value: backend?.serviceName,
      allowed:
        'the name of a Service in the same namespace: at most 63 lower-case letters, digits and dashes, starting with a letter',
    };
  }
  const port: unknown = backend.port;
  if (typeof port === 'number') {
    if (Number.isInteger(port) && port >= 1 && port <= 65535) return undefined;
    return { field: `${field}.port`, value: port, allowed: 'a port number from 1 to 65535, or a port name' };
  }
  if (typeof port === 'string' && PORT_NAME_PATTERN.test(port)) return undefined;
  return {
    field: `${field}.port`,
    value: port,
    allowed:
      'a port number, or the name of a Service port (at most 15 lower-case letters, digits and dashes, with a letter)',
    ...(typeof port === 'string' && /^\d+$/.test(port) && { hint: `did you mean ${Number(port)}?` }),
  };
}

/** The operator keeps one handler per path: the same path twice leaves one backend unreachable. */
function checkUniquePaths(p: ResolvedIngressBaseProps): Violation | undefined {
  const seen = new Set<string>(p.defaultBackend ? [DEFAULT_BACKEND_PATH] : []);
  for (const [index, item] of (p.paths ?? []).entries()) {
    if (seen.has(item.path)) {
      return {
        field: `paths[${index}].path`,
        value: item.path,
        allowed: 'a path no other path (or the `defaultBackend`, which serves "/") uses',
        hint: 'the operator keeps one backend per path and drops the other',
      };
    }
    seen.add(item.path);
  }
  return undefined;
}

/** The backends of an Ingress, with where each is in the props. */
export function ingressBackends(
  props: IngressBaseProps,
): readonly { readonly field: string; readonly backend: IngressBackend }[] {
  return [
    ...(props.defaultBackend ? [{ field: 'defaultBackend', backend: props.defaultBackend }] : []),
    ...(props.paths ?? []).map((item, index) => ({
      field: `paths[${index}].backend`,
      backend: item.backend,
    })),
  ];
}

/**
 * Backends the operator proxies as HTTPS without verifying the certificate (port 443, or a port
 * named `https`): warnings, so an unintended one is seen. An app that redirects plain HTTP to
 * HTTPS must be reached on such a port, or the redirect loops.
 */
export function httpsBackendWarnings(path: string, props: IngressBaseProps): string[] {
  return ingressBackends(props)
    .filter(({ backend }) => backend.port === 443 || backend.port === 'https')
    .map(
      ({ field, backend }) =>
        `${path}: \`${field}\` (${backend.serviceName}:${backend.port}) is proxied as HTTPS without ` +
        'certificate verification, as the operator does for port 443 and ports named "https"; ' +
        "clients still get the MagicDNS name's verified certificate",
    );
}
