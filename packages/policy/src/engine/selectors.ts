import type { PolicyDocument } from '../document';
import { isWholeFamily, parseRange, TAILNET_RANGES, type AddressRange } from './addresses';
import type { Topology, TopologyNode, TopologyUser, TopologyUserRole } from './topology';

/** The autogroups the control plane knows. */
export const AUTOGROUPS = [
  'autogroup:member',
  'autogroup:tagged',
  'autogroup:self',
  'autogroup:internet',
  'autogroup:danger-all',
  'autogroup:admin',
  'autogroup:owner',
  'autogroup:it-admin',
  'autogroup:network-admin',
  'autogroup:billing-admin',
  'autogroup:auditor',
  'autogroup:shared',
  'autogroup:nonroot',
] as const;

/** An autogroup name. */
export type Autogroup = (typeof AUTOGROUPS)[number];

/** The autogroups naming the users who hold a role (devices of those users; tagged devices never). */
const ROLE_AUTOGROUPS: Readonly<Record<string, TopologyUserRole>> = {
  'autogroup:owner': 'owner',
  'autogroup:admin': 'admin',
  'autogroup:it-admin': 'it-admin',
  'autogroup:network-admin': 'network-admin',
  'autogroup:billing-admin': 'billing-admin',
  'autogroup:auditor': 'auditor',
};

/** The role an autogroup such as `autogroup:admin` names, if it names one. */
export function roleOf(selector: string): TopologyUserRole | undefined {
  return Object.hasOwn(ROLE_AUTOGROUPS, selector) ? ROLE_AUTOGROUPS[selector] : undefined;
}

/** What kind of principal or address a selector names. */
export const SELECTOR_KINDS = [
  'wildcard',
  'user',
  'group',
  'tag',
  'autogroup',
  'host',
  'prefix',
  'ipset',
  'service',
  'invalid',
] as const;

/** The kind of a selector. */
export type SelectorKind = (typeof SELECTOR_KINDS)[number];

/** Classifies a selector (without ports) by its syntax. */
export function selectorKind(selector: string): SelectorKind {
  if (selector === '*') return 'wildcard';
  if (selector.startsWith('group:')) return 'group';
  if (selector.startsWith('tag:')) return 'tag';
  if (selector.startsWith('autogroup:')) return 'autogroup';
  if (selector.startsWith('ipset:')) return 'ipset';
  if (selector.startsWith('svc:')) return 'service';
  if (selector.includes('@')) return 'user';
  if (parseRange(selector) !== undefined && !selector.includes('-')) return 'prefix';
  if (/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(selector)) return 'host';
  return 'invalid';
}

/** Splits a destination such as `tag:web:80,443` or `[fd7a::1]:22` into selector and port text. */
export function splitDestination(
  text: string,
): { readonly selector: string; readonly ports: string } | undefined {
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(text);
  if (bracket) return { selector: bracket[1] ?? '', ports: bracket[2] ?? '' };
  const colon = text.lastIndexOf(':');
  if (colon < 0) return undefined;
  return { selector: text.slice(0, colon), ports: text.slice(colon + 1) };
}

/** A device with the facts selectors need. */
export interface ResolvedNode {
  readonly name: string;
  readonly node: TopologyNode;
  readonly addresses: readonly AddressRange[];
  readonly email: string | undefined;
  readonly tagged: boolean;
  /** The owning user's roles; none for a tagged device. */
  readonly roles: readonly TopologyUserRole[];
  /** Approved subnet routes (not exit routes). */
  readonly subnetRoutes: readonly AddressRange[];
  /** Approved exit routes. */
  readonly exitRoutes: readonly AddressRange[];
  /** Tailscale Services the device hosts (advertised and approved). */
  readonly services: readonly string[];
  /** The VIPs of those services: the device receives traffic for them as for its own addresses. */
  readonly serviceAddresses: readonly AddressRange[];
}

/** What selectors are resolved against: the policy, the devices, and their approved routes. */
export interface SelectorContext {
  readonly policy: PolicyDocument;
  readonly topology: Topology;
  readonly nodes: readonly ResolvedNode[];
}

function owner(topology: Topology, node: TopologyNode): TopologyUser | undefined {
  if (node.tags.length > 0 || node.user === undefined) return undefined;
  return topology.users.find((user) => user.name === node.user);
}

/** The VIP addresses of a Tailscale Service the topology defines; empty when it defines none. */
export function serviceAddresses(topology: Topology, name: string): AddressRange[] {
  const service = topology.services?.[name];
  if (service === undefined) return [];
  return [service.ipv4, service.ipv6].map(parseRange).filter((range) => range !== undefined);
}

/** Builds the selector context, given the routes (and services) approved per device. */
export function selectorContext(
  policy: PolicyDocument,
  topology: Topology,
  approved: Readonly<Record<string, readonly string[]>>,
  approvedServices: Readonly<Record<string, readonly string[]>> = {},
): SelectorContext {
  const nodes = Object.entries(topology.nodes).map(([name, node]): ResolvedNode => {
    const routes = (approved[name] ?? []).map(parseRange).filter((range) => range !== undefined);
    const services = approvedServices[name] ?? [];
    const user = owner(topology, node);
    return {
      name,
      node,
      addresses: [node.ipv4, node.ipv6].map(parseRange).filter((range) => range !== undefined),
      email: user?.email,
      tagged: node.tags.length > 0,
      roles: user === undefined ? [] : (user.roles ?? ['member']),
      subnetRoutes: routes.filter((range) => !isWholeFamily(range)),
      exitRoutes: routes.filter(isWholeFamily),
      services,
      serviceAddresses: services.flatMap((service) => serviceAddresses(topology, service)),
    };
  });
  return { policy, topology, nodes };
}

/** Whether a user selector (`alice@example.com`, or legacy `alice@`) names the given email. */
export function userMatches(selector: string, email: string | undefined, topology: Topology): boolean {
  if (email === undefined) return false;
  if (selector.toLowerCase() === email.toLowerCase()) return true;
  if (selector.endsWith('@')) {
    const user = topology.users.find((candidate) => candidate.email === email);
    return user !== undefined && `${user.name}@` === selector;
  }
  return false;
}

/** The users (emails) a group holds, following nested groups once each. */
export function groupMembers(
  policy: PolicyDocument,
  group: string,
  seen: ReadonlySet<string> = new Set(),
): string[] {
  if (seen.has(group)) return [];
  const members = policy.groups?.[group] ?? [];
  const next = new Set([...seen, group]);
  return members.flatMap((member) =>
    member.startsWith('group:') ? groupMembers(policy, member, next) : [member],
  );
}

/** Whether the device is one of the principals a source-side selector names. */
export function nodeMatches(context: SelectorContext, node: ResolvedNode, selector: string): boolean {
  switch (selectorKind(selector)) {
    case 'wildcard':
      return true;
    case 'user':
      return !node.tagged && userMatches(selector, node.email, context.topology);
    case 'group':
      return (
        !node.tagged &&
        groupMembers(context.policy, selector).some((member) =>
          userMatches(member, node.email, context.topology),
        )
      );
    case 'tag':
      return node.node.tags.includes(selector);
    case 'autogroup': {
      if (selector === 'autogroup:member') return !node.tagged && node.node.user !== undefined;
      if (selector === 'autogroup:tagged') return node.tagged;
      if (selector === 'autogroup:danger-all') return true;
      const role = roleOf(selector);
      return role !== undefined && node.roles.includes(role);
    }
    default: {
      const ranges = addressRanges(context, selector);
      return node.addresses.some((address) =>
        ranges.some(
          (range) =>
            range.family === address.family && range.first <= address.first && address.last <= range.last,
        ),
      );
    }
  }
}

/** Devices by selector per context: every rule and query resolving the same name scans once. */
const matchingCache = new WeakMap<SelectorContext, Map<string, readonly ResolvedNode[]>>();

/** The devices a principal selector (user, group, tag, autogroup, `*`) names, memoized per context. */
export function nodesMatching(context: SelectorContext, selector: string): readonly ResolvedNode[] {
  let cache = matchingCache.get(context);
  if (cache === undefined) {
    cache = new Map();
    for (const node of context.nodes) {
      // Tags are the common selector; index them in one pass instead of a scan per tag.
      for (const tag of node.node.tags)
        cache.set(`\u0000${tag}`, [...(cache.get(`\u0000${tag}`) ?? []), node]);
    }
    matchingCache.set(context, cache);
  }
  const key = selectorKind(selector) === 'tag' ? `\u0000${selector}` : selector;
  let nodes = cache.get(key);
  if (nodes === undefined) {
    nodes =
      selectorKind(selector) === 'tag'
        ? []
        : context.nodes.filter((node) => nodeMatches(context, node, selector));
    cache.set(key, nodes);
  }
  return nodes;
}

/** The addresses of a host alias, prefix or IP set; empty for principals. */
export function addressRanges(
  context: SelectorContext,
  selector: string,
  seen: ReadonlySet<string> = new Set(),
): readonly AddressRange[] {
  const kind = selectorKind(selector);
  if (kind === 'prefix') return [parseRange(selector)].filter((range) => range !== undefined);
  if (kind === 'host') {
    const value = context.policy.hosts?.[selector];
    const range = value === undefined ? undefined : parseRange(value);
    return range === undefined ? [] : [range];
  }
  if (kind === 'ipset') {
    // An IP set that includes itself adds nothing more the second time (validatePolicy refuses it).
    if (seen.has(selector)) return [];
    const inner = new Set([...seen, selector]);
    return (context.policy.ipsets?.[selector] ?? []).flatMap((entry) => addressRanges(context, entry, inner));
  }
  return [];
}

/** Every approved subnet route in the tailnet (what a `*` source adds beyond Tailscale addresses). */
export function allSubnetRoutes(context: SelectorContext): AddressRange[] {
  return context.nodes.flatMap((node) => node.subnetRoutes);
}

/**
 * The source addresses a selector stands for.
 *
 * `*` is every Tailscale address plus every approved subnet route; `autogroup:danger-all` is every
 * address; principals are the addresses of their devices.
 */
export function sourceRanges(context: SelectorContext, selector: string): readonly AddressRange[] {
  const kind = selectorKind(selector);
  if (kind === 'wildcard') return [...TAILNET_RANGES, ...allSubnetRoutes(context)];
  if (selector === 'autogroup:danger-all') {
    return [parseRange('0.0.0.0/0'), parseRange('::/0')].filter((range) => range !== undefined);
  }
  if (kind === 'prefix' || kind === 'host' || kind === 'ipset') return addressRanges(context, selector);
  return nodesMatching(context, selector).flatMap((node) => node.addresses);
}
