import ipaddr from 'ipaddr.js';
import { DEFAULT_CLUSTER_DOMAIN, DEFAULT_PROXY_TAGS, type IProxyGroup } from '../props/common';
import { EGRESS_PORT_PROTOCOLS, type EgressPort, type EgressServiceProps } from '../props/egress-service';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import {
  DNS_LABEL_PATTERN,
  DNS_SUBDOMAIN_PATTERN,
  checkHostname,
  checkProxyClassLabel,
  checkNamespace,
  checkObjectName,
  checkTag,
} from './scalars';
import { EGRESS_SERVICE_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';
import { withFields } from './with-fields';

/** {@link EgressServiceProps} with every default applied. */
export interface ResolvedEgressServiceProps extends EgressServiceProps {
  readonly name: string;
  readonly namespace: string;
  /** The policy's name for the target: `policyTarget`, or the canonical `tailnetIp`. */
  readonly policyTarget: string;
  /** The tags of the devices that carry the traffic: the standalone proxy's, or the ProxyGroup's. */
  readonly proxyTags: readonly string[];
  readonly clusterDomain: string;
}

/**
 * The operator's rule for `tailscale.com/tailnet-fqdn` (`isMagicDNSName`): exactly
 * `<device>.<tailnet>.ts.net`, with an optional final dot.
 */
export const TAILNET_FQDN_PATTERN = /^[a-zA-Z0-9-]+\.[a-zA-Z0-9-]+\.ts\.net\.?$/;

/**
 * The most ports the egress Services on one ProxyGroup may map together. The operator
 * (cmd/k8s-operator/egress-services.go at v1.102.3) gives each a container port from
 * `[10000, 11000)` (`unusedPort`) and refuses a new one once `maxPorts` (1,000) target ports of the
 * group's ClusterIP Services are in use ("unable to allocate additional ports on ProxyGroup");
 * those Services also carry the health check (`tailscale-health-check`, target port 9002), which
 * `usedPortsForPG` counts too, so 999 are left for the Services.
 */
export const MAX_EGRESS_PORTS_PER_PROXY_GROUP = 1000 - 1;

/** A Service's name: Kubernetes requires an RFC 1035 label, which starts with a letter. */
const SERVICE_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A host alias in the policy's `hosts` (as the policy engine reads one). */
const HOST_ALIAS_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
/** The largest port number. */
const MAX_PORT = 65535;

/**
 * Applies defaults to an EgressService's props and checks them, throwing the first
 * {@link ValidationError} for `path`. `defaults` gives the name and namespace when the props do not.
 */
export function resolveEgressServiceProps(
  path: string,
  defaults: { readonly name: string; readonly namespace: string },
  given: EgressServiceProps,
): ResolvedEgressServiceProps {
  const props = checkedProps(path, given, EGRESS_SERVICE_SHAPE);
  // Checked first: the resolved fields below read them.
  validateProps(path, props, TARGET_RULES);
  const group = props.proxyGroup;
  const resolved: ResolvedEgressServiceProps = withFields(props, {
    name: props.name ?? defaults.name,
    namespace: props.namespace ?? defaults.namespace,
    policyTarget: props.policyTarget ?? canonicalAddress(props.tailnetIp ?? ''),
    proxyTags: group ? group.tags : (props.tags ?? DEFAULT_PROXY_TAGS),
    clusterDomain: props.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
  });
  validateProps(path, resolved, EGRESS_SERVICE_RULES);
  return resolved;
}

const TARGET_RULES: readonly Rule<EgressServiceProps>[] = [
  (p) =>
    p.tailnetFqdn !== undefined && p.tailnetIp !== undefined
      ? {
          field: 'tailnetIp',
          value: p.tailnetIp,
          allowed: 'absent when `tailnetFqdn` is set: a Service forwards to one target',
        }
      : undefined,
  (p) =>
    p.tailnetFqdn === undefined && p.tailnetIp === undefined
      ? {
          field: 'tailnetFqdn',
          value: undefined,
          allowed: 'set, or `tailnetIp` set: the Service needs a tailnet target',
        }
      : undefined,
  (p) => (p.tailnetFqdn === undefined ? undefined : checkTailnetFqdn(p.tailnetFqdn)),
  (p) => (p.tailnetIp === undefined ? undefined : checkSingleAddress(p.tailnetIp, 'tailnetIp')),
  (p) =>
    p.policyTarget === undefined
      ? p.tailnetIp === undefined
        ? {
            field: 'policyTarget',
            value: undefined,
            allowed:
              'a tag, host alias or IP naming the target in the tailnet policy (required with `tailnetFqdn`: a grant cannot name a MagicDNS name)',
            hint: 'for example "tag:db", the tag the target device carries',
          }
        : undefined
      : checkPolicyTarget(p.policyTarget),
];

const EGRESS_SERVICE_RULES: readonly Rule<ResolvedEgressServiceProps>[] = [
  (p) => checkServiceName(p.name),
  (p) => checkNamespace(p.namespace, 'namespace'),
  (p) => (p.proxyGroup ? checkProxyGroup(p.proxyGroup) : undefined),
  (p) => (p.proxyGroup ? checkStandaloneOnly(p) : undefined),
  (p) => checkPorts(p.ports, p.proxyGroup !== undefined),
  (p) =>
    p.tags === undefined
      ? undefined
      : p.tags.length === 0
        ? { field: 'tags', value: p.tags, allowed: 'at least one tag (leave `tags` out for ["tag:k8s"])' }
        : (checkEach('tags', p.tags, checkTag) ?? checkUnique('tags', p.tags)),
  (p) => (p.hostname === undefined ? undefined : checkHostname(p.hostname, 'hostname')),
  (p) => checkDefaultHostname(p),
  (p) => (p.proxyClass ? checkProxyClassLabel(p.proxyClass.name, 'proxyClass.name') : undefined),
  (p) =>
    DNS_SUBDOMAIN_PATTERN.test(p.clusterDomain)
      ? undefined
      : { field: 'clusterDomain', value: p.clusterDomain, allowed: 'a DNS domain such as "cluster.local"' },
];

/** The target's MagicDNS name, by the operator's own rule, with a hint for the usual mistakes. */
function checkTailnetFqdn(value: string): Violation | undefined {
  if (TAILNET_FQDN_PATTERN.test(value)) return undefined;
  const field = 'tailnetFqdn';
  const allowed =
    'a MagicDNS name "<device>.<tailnet>.ts.net" (the operator refuses deeper names and custom control server domains)';
  if (ipaddr.isValid(value) || ipaddr.isValidCIDR(value)) {
    return { field, value, allowed, hint: 'an address goes in `tailnetIp`' };
  }
  if (/\.ts\.net\.?$/i.test(value)) {
    return { field, value, allowed, hint: 'only two labels may come before "ts.net"' };
  }
  if (!value.includes('.')) {
    return { field, value, allowed, hint: `did you mean "${value}.<tailnet>.ts.net"?` };
  }
  return { field, value, allowed };
}

/**
 * One IPv4 or IPv6 address, as the operator parses it (`netip.ParseAddr` refuses a CIDR and IPv4
 * leading zeros). A zone (`%eth0`) is refused too: it names a local interface, not a tailnet device.
 */
function checkSingleAddress(value: string, field: string): Violation | undefined {
  const allowed = 'one IPv4 or IPv6 address, not a CIDR';
  if (isStrictAddress(value)) return undefined;
  const slash = value.lastIndexOf('/');
  if (slash > 0 && isStrictAddress(value.slice(0, slash))) {
    const address = value.slice(0, slash);
    const bits = value.slice(slash + 1);
    const single = bits === (address.includes(':') ? '128' : '32');
    return { field, value, allowed, ...(single && { hint: `did you mean "${address}"?` }) };
  }
  return { field, value, allowed };
}

/** A tag, a host alias or one IP address. */
function checkPolicyTarget(value: string): Violation | undefined {
  const field = 'policyTarget';
  if (value.startsWith('tag:')) return checkTag(value, field);
  const address = value.split('/')[0] ?? '';
  if (/^[\d./]+$/.test(value) || (value.includes(':') && ipaddr.isValid(address))) {
    return checkSingleAddress(value, field);
  }
  if (HOST_ALIAS_PATTERN.test(value)) return undefined;
  return {
    field,
    value,
    allowed:
      'a tag such as "tag:db", a host alias from the policy\'s `hosts` such as "db", or one IP address',
    ...(/^(\*|group:|autogroup:|svc:|[^@]+@)/.test(value) && {
      hint: 'the target is one device: name it by its tag, a host alias or its address',
    }),
  };
}

function checkServiceName(value: string): Violation | undefined {
  if (SERVICE_NAME_PATTERN.test(value)) return undefined;
  return {
    field: 'name',
    value,
    allowed:
      'a Service name: at most 63 lower-case letters, digits and dashes, starting with a letter and ending with a letter or digit',
  };
}

/** The egress ProxyGroup, checked at run time too: a JavaScript caller has no type check. */
function checkProxyGroup(group: IProxyGroup<'egress'>): Violation | undefined {
  const type: string = group.proxyGroupType;
  if (type !== 'egress') {
    return {
      field: 'proxyGroup.proxyGroupType',
      value: type,
      allowed: '"egress": an egress Service runs on an egress ProxyGroup',
      hint: `ProxyGroup "${group.name}" is of type "${type}"; create one with \`type: 'egress'\``,
    };
  }
  const name = checkObjectName(group.name, 'proxyGroup.name');
  if (name) return name;
  if (group.tags.length === 0) {
    return { field: 'proxyGroup.tags', value: group.tags, allowed: 'at least one tag' };
  }
  return checkEach('proxyGroup.tags', group.tags, checkTag);
}

/** On a ProxyGroup the group's devices carry the traffic: the standalone proxy's settings do not apply. */
function checkStandaloneOnly(p: ResolvedEgressServiceProps): Violation | undefined {
  for (const field of ['tags', 'hostname', 'proxyClass'] as const) {
    if (p[field] !== undefined) {
      return {
        field,
        value: field === 'proxyClass' ? p.proxyClass?.name : p[field],
        allowed: "absent when `proxyGroup` is set: the group's devices carry the traffic",
        hint: `set ${field === 'hostname' ? 'the hostname prefix' : `\`${field}\``} on the ProxyGroup instead`,
      };
    }
  }
  return undefined;
}

function checkPorts(ports: readonly EgressPort[] | undefined, onProxyGroup: boolean): Violation | undefined {
  if (!Array.isArray(ports) || ports.length === 0) {
    return {
      field: 'ports',
      value: ports,
      allowed: onProxyGroup
        ? 'at least one port: an egress ProxyGroup forwards only the ports the Service declares'
        : 'at least one port: the grant from the proxy to the target covers exactly the declared ports',
    };
  }
  if (onProxyGroup && ports.length > MAX_EGRESS_PORTS_PER_PROXY_GROUP) {
    return {
      field: 'ports',
      value: `${ports.length} ports`,
      allowed: `at most ${MAX_EGRESS_PORTS_PER_PROXY_GROUP} ports on one ProxyGroup (the operator's limit of 1000, less the health check's port)`,
      hint: 'spread the Services over several egress ProxyGroups',
    };
  }
  const each = checkEach('ports', ports, (port, field) => checkPort(port, field, ports.length > 1));
  if (each) return each;
  const names = ports.flatMap((port) => (port.name === undefined ? [] : [port.name]));
  const duplicateName = checkUnique('ports.name', names);
  if (duplicateName) return { ...duplicateName, allowed: 'a port name used once in the Service' };
  const keys = ports.map((port) => `${port.protocol ?? 'TCP'}/${port.port}`);
  const duplicate = checkUnique('ports', keys);
  return duplicate && { ...duplicate, allowed: 'each port and protocol listed once' };
}

function checkPort(port: EgressPort, field: string, named: boolean): Violation | undefined {
  if (!Number.isInteger(port.port) || port.port < 1 || port.port > MAX_PORT) {
    return { field: `${field}.port`, value: port.port, allowed: `a port number from 1 to ${MAX_PORT}` };
  }
  if (port.protocol !== undefined && !EGRESS_PORT_PROTOCOLS.includes(port.protocol)) {
    return {
      field: `${field}.protocol`,
      value: port.protocol,
      allowed: `one of ${EGRESS_PORT_PROTOCOLS.map((p) => `"${p}"`).join(', ')}`,
    };
  }
  if (port.name === undefined) {
    return named
      ? {
          field: `${field}.name`,
          value: undefined,
          allowed: 'a port name: Kubernetes requires one on every port of a Service with several',
        }
      : undefined;
  }
  if (DNS_LABEL_PATTERN.test(port.name)) return undefined;
  return {
    field: `${field}.name`,
    value: port.name,
    allowed:
      'a port name: at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit',
  };
}

/**
 * The operator checks the device hostname `<namespace>-<name>` of every egress Service, a
 * ProxyGroup's too, unless `hostname` replaces it: it must be a DNS label of at most 63 characters.
 */
function checkDefaultHostname(p: ResolvedEgressServiceProps): Violation | undefined {
  if (p.hostname !== undefined) return undefined;
  const hostname = `${p.namespace}-${p.name}`;
  if (hostname.length <= 63) return undefined;
  return {
    field: 'name',
    value: p.name,
    allowed: 'a name whose device hostname "<namespace>-<name>" has at most 63 characters',
    hint: p.proxyGroup ? 'shorten the name or the namespace' : 'set `hostname`, or shorten the name',
  };
}

/** Four-part decimal IPv4 without leading zeros, or IPv6 without a zone. */
function isStrictAddress(value: string): boolean {
  if (value.includes(':')) return ipaddr.IPv6.isValid(value) && !value.includes('%');
  return ipaddr.IPv4.isValidFourPartDecimal(value);
}

function canonicalAddress(value: string): string {
  return ipaddr.parse(value).toString();
}
