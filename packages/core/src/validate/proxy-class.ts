import { isIP } from 'node:net';
import { redactSecrets } from '@tailkube/policy';
import {
  DEFAULT_NODE_PORT_RANGE,
  DNS_POLICIES,
  IMAGE_PULL_POLICIES,
  type EnvVar,
  type PodDnsConfig,
  type PortRange,
  type ProxyClassProps,
  type ProxyInitContainer,
} from '../props/proxy-class';
import { checkKubeFields } from './kube-schema';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import { DNS_SUBDOMAIN_PATTERN, checkLabelValue, checkObjectName } from './scalars';
import { PROXY_CLASS_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';
import { withFields } from './with-fields';

/** {@link ProxyClassProps} with every default applied. */
export interface ResolvedProxyClassProps extends ProxyClassProps {
  readonly name: string;
  readonly clusterNodePortRange: Required<PortRange>;
}

/** The CRD's env var name pattern. */
const ENV_NAME_PATTERN = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** A label or annotation key: an optional DNS-subdomain prefix and a name of up to 63 characters. */
const QUALIFIED_NAME_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** An image reference as the kubelet parses it: repository, optional tag and digest. */
const IMAGE_PATTERN =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
/** Environment names the operator warns about besides `TS_*` (proxyclass.go). */
const OPERATOR_ENV_NAMES = [
  'EXPERIMENTAL_TS_CONFIGFILE_PATH',
  'EXPERIMENTAL_ALLOW_PROXYING_CLUSTER_TRAFFIC_VIA_INGRESS',
];

/**
 * Kubernetes' limits on a pod's `dnsConfig` (`validatePodDNSConfig` in
 * kubernetes/pkg/apis/core/validation/validation.go, with ExpandedDNSConfig, GA since 1.28).
 */
const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_LIST_CHARS = 2048;

/**
 * Applies defaults to a ProxyClass's props and checks them, throwing the first
 * {@link ValidationError} for `path`. `defaultName` is the object name when the props give none.
 */
export function resolveProxyClassProps(
  path: string,
  defaultName: string,
  given: ProxyClassProps,
): ResolvedProxyClassProps {
  const props = checkedProps(path, given, PROXY_CLASS_SHAPE);
  const range = props.clusterNodePortRange ?? DEFAULT_NODE_PORT_RANGE;
  const resolved: ResolvedProxyClassProps = withFields(props, {
    name: props.name ?? defaultName,
    clusterNodePortRange: { port: range.port, endPort: range.endPort ?? range.port },
  });
  validateProps(path, resolved, PROXY_CLASS_RULES);
  return resolved;
}

/**
 * What a ProxyClass that is still valid should warn about. On the tailscale container, the
 * operator's own warning: a `TS_*` variable (or `EXPERIMENTAL_TS_CONFIGFILE_PATH`,
 * `EXPERIMENTAL_ALLOW_PROXYING_CLUSTER_TRAFFIC_VIA_INGRESS`) overrides one it sets
 * (cmd/k8s-operator/proxyclass.go at v1.102.3, which checks that container only). On the init
 * container, which is the `sysctler` that turns on IP forwarding (deploy/manifests/proxy.yaml) and
 * runs no tailscaled, such a variable does nothing, which is said instead; for `TS_EXTRA_ARGS`,
 * which is where tags are often tried, with where tags go.
 */
export function proxyClassWarnings(path: string, props: ProxyClassProps): string[] {
  const pod = props.statefulSet?.pod;
  const warnings: string[] = [];
  for (const [index, env] of (pod?.tailscaleContainer?.env ?? []).entries()) {
    if (!isTailscaleVariable(env.name)) continue;
    warnings.push(
      `${path}: \`statefulSet.pod.tailscaleContainer.env[${index}]\` sets ${JSON.stringify(env.name)}, ` +
        'which overrides a variable the operator sets; running proxies with custom Tailscale environment ' +
        'variables is not recommended and might break in the future' +
        (env.name === 'TS_EXTRA_ARGS' && /--advertise-tags\b/.test(env.value ?? '') ? TAGS_ADVICE : ''),
    );
  }
  for (const [index, env] of (pod?.tailscaleInitContainer?.env ?? []).entries()) {
    if (!isTailscaleVariable(env.name)) continue;
    warnings.push(
      `${path}: \`statefulSet.pod.tailscaleInitContainer.env[${index}]\` sets ${JSON.stringify(env.name)}, ` +
        'which does nothing there: the init container is the sysctler that turns on IP forwarding, ' +
        'not tailscaled' +
        (env.name === 'TS_EXTRA_ARGS'
          ? TAGS_ADVICE
          : '; set it on `statefulSet.pod.tailscaleContainer` if the proxy needs it'),
    );
  }
  return warnings.map(redactSecrets);
}

/** Where a proxy's tags go instead of `--advertise-tags` in `TS_EXTRA_ARGS`. */
const TAGS_ADVICE =
  '; tags belong in `tags` of the Connector, ProxyGroup, Service or Ingress that uses this class ' +
  '(a ProxyClass carries none), which the tailnet policy is derived from';

/** A variable the operator's warning is about: `TS_*`, or one of its experimental names. */
function isTailscaleVariable(name: string): boolean {
  return name.startsWith('TS_') || OPERATOR_ENV_NAMES.includes(name.toUpperCase());
}

const PROXY_CLASS_RULES: readonly Rule<ResolvedProxyClassProps>[] = [
  (p) => checkObjectName(p.name, 'name'),
  (p) => checkLabels('statefulSet.labels', p.statefulSet?.labels),
  (p) => checkAnnotations('statefulSet.annotations', p.statefulSet?.annotations),
  (p) => checkLabels('statefulSet.pod.labels', p.statefulSet?.pod?.labels),
  (p) => checkAnnotations('statefulSet.pod.annotations', p.statefulSet?.pod?.annotations),
  (p) => checkLabels('statefulSet.pod.nodeSelector', p.statefulSet?.pod?.nodeSelector),
  (p) => {
    const name = p.statefulSet?.pod?.nodeName;
    return name === undefined ? undefined : checkObjectName(name, 'statefulSet.pod.nodeName');
  },
  (p) => checkDns(p.statefulSet?.pod?.dnsPolicy, p.statefulSet?.pod?.dnsConfig),
  (p) => {
    const name = p.statefulSet?.pod?.priorityClassName;
    return name === undefined ? undefined : checkObjectName(name, 'statefulSet.pod.priorityClassName');
  },
  (p) =>
    checkEach('statefulSet.pod.imagePullSecrets', p.statefulSet?.pod?.imagePullSecrets, checkObjectName) ??
    checkUnique('statefulSet.pod.imagePullSecrets', p.statefulSet?.pod?.imagePullSecrets),
  (p) => checkContainer('statefulSet.pod.tailscaleContainer', p.statefulSet?.pod?.tailscaleContainer),
  (p) => checkContainer('statefulSet.pod.tailscaleInitContainer', p.statefulSet?.pod?.tailscaleInitContainer),
  // proxyclass.go: "debug settings cannot be configured on the init container".
  (p) => {
    const init = p.statefulSet?.pod?.tailscaleInitContainer as { readonly debug?: unknown } | undefined;
    return init?.debug === undefined
      ? undefined
      : {
          field: 'statefulSet.pod.tailscaleInitContainer.debug',
          value: init.debug,
          allowed: 'absent: debug settings cannot be configured on the init container',
          hint: 'set `statefulSet.pod.tailscaleContainer.debug` instead',
        };
  },
  // CEL: ServiceMonitor can only be enabled if metrics are enabled.
  (p) =>
    p.metrics?.serviceMonitor?.enable && !p.metrics.enable
      ? {
          field: 'metrics.serviceMonitor.enable',
          value: true,
          allowed: 'false unless `metrics.enable` is true',
          hint: 'a ServiceMonitor scrapes the metrics Service, which exists only when metrics are enabled',
        }
      : undefined,
  (p) => checkLabels('metrics.serviceMonitor.labels', p.metrics?.serviceMonitor?.labels),
  (p) => checkRange('clusterNodePortRange', p.clusterNodePortRange, { port: 1, endPort: 65535 }),
  (p) => checkStaticEndpoints(p),
  (p) => {
    const pod = p.statefulSet?.pod;
    const at = 'statefulSet.pod';
    return checkKubeFields([
      { field: `${at}.affinity`, type: 'Affinity', value: pod?.affinity },
      { field: `${at}.tolerations`, type: 'Toleration', value: pod?.tolerations, list: true },
      {
        field: `${at}.topologySpreadConstraints`,
        type: 'TopologySpreadConstraint',
        value: pod?.topologySpreadConstraints,
        list: true,
      },
      { field: `${at}.securityContext`, type: 'PodSecurityContext', value: pod?.securityContext },
      { field: `${at}.dnsConfig`, type: 'PodDNSConfig', value: pod?.dnsConfig },
      ...(['tailscaleContainer', 'tailscaleInitContainer'] as const).flatMap((name) => [
        {
          field: `${at}.${name}.resources`,
          type: 'ResourceRequirements' as const,
          value: pod?.[name]?.resources,
        },
        {
          field: `${at}.${name}.securityContext`,
          type: 'SecurityContext' as const,
          value: pod?.[name]?.securityContext,
        },
      ]),
    ]);
  },
];

/** A pod's `dnsPolicy` and `dnsConfig`, as the API server checks them (`validatePodDNSConfig`). */
function checkDns(policy: string | undefined, config: PodDnsConfig | undefined): Violation | undefined {
  const field = 'statefulSet.pod.dnsConfig';
  if (policy !== undefined && !(DNS_POLICIES as readonly string[]).includes(policy)) {
    return {
      field: 'statefulSet.pod.dnsPolicy',
      value: policy,
      allowed: `one of ${DNS_POLICIES.map((v) => JSON.stringify(v)).join(', ')}`,
    };
  }
  const nameservers = config?.nameservers ?? [];
  if (policy === 'None' && nameservers.length === 0) {
    return {
      field: `${field}.nameservers`,
      value: config?.nameservers,
      allowed: 'at least one name server when `dnsPolicy` is "None"',
      hint: 'with "None" the pod gets no DNS settings but those of `dnsConfig`',
    };
  }
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    return {
      field: `${field}.nameservers`,
      value: nameservers,
      allowed: `at most ${MAX_DNS_NAMESERVERS} name servers`,
    };
  }
  const searches = config?.searches ?? [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    return {
      field: `${field}.searches`,
      value: searches,
      allowed: `at most ${MAX_DNS_SEARCH_PATHS} search domains`,
    };
  }
  if (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    return {
      field: `${field}.searches`,
      value: `${searches.length} domains, ${searches.join(' ').length} characters`,
      allowed: `search domains of at most ${MAX_DNS_SEARCH_LIST_CHARS} characters together, separated by spaces`,
    };
  }
  return (
    checkEach(`${field}.nameservers`, nameservers, (server, at) =>
      isIP(server) === 0
        ? { field: at, value: server, allowed: 'an IP address such as "1.1.1.1"' }
        : undefined,
    ) ??
    checkEach(`${field}.searches`, searches, (domain, at) =>
      // The API server drops one final dot before checking the name.
      DNS_SUBDOMAIN_PATTERN.test(domain.replace(/\.$/, ''))
        ? undefined
        : { field: at, value: domain, allowed: 'a DNS name such as "svc.cluster.local"' },
    ) ??
    checkEach(`${field}.options`, config?.options, (option, at) =>
      typeof option.name === 'string' && option.name.length > 0
        ? undefined
        : { field: `${at}.name`, value: option.name, allowed: 'a resolver option name such as "ndots"' },
    )
  );
}

function checkLabels(
  field: string,
  labels: Readonly<Record<string, string>> | undefined,
): Violation | undefined {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const bad =
      checkKey(`${field}[${JSON.stringify(key)}]`, key) ??
      checkLabelValue(value, `${field}[${JSON.stringify(key)}]`);
    if (bad) return bad;
  }
  return undefined;
}

function checkAnnotations(
  field: string,
  annotations: Readonly<Record<string, string>> | undefined,
): Violation | undefined {
  for (const key of Object.keys(annotations ?? {})) {
    const bad = checkKey(`${field}[${JSON.stringify(key)}]`, key);
    if (bad) return bad;
  }
  return undefined;
}

function checkKey(field: string, key: string): Violation | undefined {
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  if (QUALIFIED_NAME_PATTERN.test(key) && prefix.length <= 253) return undefined;
  return {
    field,
    value: key,
    allowed:
      'a key such as "app" or "example.com/team": an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" and "."',
  };
}

function checkContainer(field: string, container: ProxyInitContainer | undefined): Violation | undefined {
  if (!container) return undefined;
  if (container.image !== undefined && !IMAGE_PATTERN.test(container.image)) {
    return {
      field: `${field}.image`,
      value: container.image,
      allowed: 'an image reference such as "tailscale/tailscale:v1.102.3" or "ghcr.io/tailscale/tailscale"',
    };
  }
  if (container.imagePullPolicy !== undefined && !IMAGE_PULL_POLICIES.includes(container.imagePullPolicy)) {
    return {
      field: `${field}.imagePullPolicy`,
      value: container.imagePullPolicy,
      allowed: `one of ${IMAGE_PULL_POLICIES.map((v) => JSON.stringify(v)).join(', ')}`,
    };
  }
  return (
    checkEach(`${field}.env`, container.env, checkEnv) ??
    checkUnique(
      `${field}.env`,
      container.env?.map((env) => env.name),
    )
  );
}

function checkEnv(env: EnvVar, field: string): Violation | undefined {
  if (ENV_NAME_PATTERN.test(env.name)) return undefined;
  return {
    field: `${field}.name`,
    value: env.name,
    allowed: 'an environment variable name: letters, digits, "-", "." and "_", not starting with a digit',
  };
}

function checkRange(
  field: string,
  range: Required<PortRange>,
  within: Required<PortRange>,
): Violation | undefined {
  const whole = (n: number) => Number.isInteger(n) && n >= within.port && n <= within.endPort;
  if (!whole(range.port)) {
    return {
      field: `${field}.port`,
      value: range.port,
      allowed: `a port from ${within.port} to ${within.endPort}`,
    };
  }
  if (!whole(range.endPort) || range.endPort < range.port) {
    return {
      field: `${field}.endPort`,
      value: range.endPort,
      allowed: `a port from ${range.port} (the range's \`port\`) to ${within.endPort}`,
    };
  }
  return undefined;
}

/** The operator's `validateNodePortRanges`: in the cluster's range, valid, not overlapping. */
function checkStaticEndpoints(p: ResolvedProxyClassProps): Violation | undefined {
  const nodePort = p.staticEndpoints?.nodePort;
  if (!p.staticEndpoints) return undefined;
  const field = 'staticEndpoints.nodePort.ports';
  if (!nodePort || !Array.isArray(nodePort.ports) || nodePort.ports.length === 0) {
    return { field, value: nodePort?.ports, allowed: 'at least one port or port range' };
  }
  const cluster = p.clusterNodePortRange;
  const ranges = nodePort.ports.map((r) => ({ port: r.port, endPort: r.endPort ?? r.port }));
  for (const [index, range] of ranges.entries()) {
    const bad = checkRange(`${field}[${index}]`, range, cluster);
    if (bad) {
      return {
        ...bad,
        hint: `the cluster's NodePort range is ${cluster.port}-${cluster.endPort}; set \`clusterNodePortRange\` if the API server uses another`,
      };
    }
  }
  const order = [...ranges.entries()].sort(([, a], [, b]) => a.port - b.port);
  for (let i = 1; i < order.length; i++) {
    const [, prev] = order[i - 1]!;
    const [index, curr] = order[i]!;
    if (curr.port <= prev.endPort) {
      return {
        field: `${field}[${index}]`,
        value: nodePort.ports[index],
        allowed: 'a range that overlaps no other range of the same ProxyClass',
        hint: `it overlaps ${prev.port === prev.endPort ? prev.port : `${prev.port}-${prev.endPort}`}`,
      };
    }
  }
  for (const [key, value] of Object.entries(nodePort.selector ?? {})) {
    const bad = checkKey(`staticEndpoints.nodePort.selector[${JSON.stringify(key)}]`, key);
    if (bad) return bad;
    const badValue = checkLabelValue(value, `staticEndpoints.nodePort.selector[${JSON.stringify(key)}]`);
    if (badValue) return badValue;
  }
  return undefined;
}
