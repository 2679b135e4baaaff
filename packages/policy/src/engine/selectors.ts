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

/** The VIP addresses of a Tailscale Service the topology defines; empty when it defines none. */
export function serviceAddresses(topology: Topology, name: string): AddressRange[] {
  const service = topology.services?.[name];
  if (service === undefined) return [];
  return [service.ipv4, service.ipv6].map(parseRange).filter((range) => range !== undefined);
}

/** The parsed addresses of each device: the routes, the services and the final context share them. */
const parsedAddresses = new WeakMap<TopologyNode, readonly AddressRange[]>();

function addressesOf(node: TopologyNode): readonly AddressRange[] {
  let addresses = parsedAddresses.get(node);
  if (addresses === undefined) {
    addresses = [node.ipv4, node.ipv6].map(parseRange).filter((range) => range !== undefined);
    parsedAddresses.set(node, addresses);
  }
  return addresses;
}

/**
 * Records the parsed addresses of a device built from address integers (a derived device), so
 * that they are not parsed back from its text. `addresses` must be what parsing gives.
 */
export function rememberAddresses(node: TopologyNode, addresses: readonly AddressRange[]): void {
  parsedAddresses.set(node, addresses);
}

/** The empty list most devices have for routes and services, shared. */
const NONE: readonly never[] = [];

/** The roles of a user the topology gives none: a member's, shared. */
const MEMBER: readonly TopologyUserRole[] = ['member'];

/** Builds the selector context, given the routes (and services) approved per device. */
export function selectorContext(
  policy: PolicyDocument,
  topology: Topology,
  approved: Readonly<Record<string, readonly string[]>>,
  approvedServices: Readonly<Record<string, readonly string[]>> = {},
): SelectorContext {
  // A device's owner is the first user of its name: one lookup, not a scan of the users per device.
  const usersByName = new Map<string, TopologyUser>();
  for (const user of topology.users) if (!usersByName.has(user.name)) usersByName.set(user.name, user);
  const nodes = Object.entries(topology.nodes).map(([name, node]): ResolvedNode => {
    const advertised = approved[name] ?? NONE;
    const routes =
      advertised.length === 0 ? NONE : advertised.map(parseRange).filter((range) => range !== undefined);
    const services = approvedServices[name] ?? NONE;
    const user = node.tags.length > 0 || node.user === undefined ? undefined : usersByName.get(node.user);
    return {
      name,
      node,
      addresses: addressesOf(node),
      email: user?.email,
      tagged: node.tags.length > 0,
      roles: user === undefined ? NONE : (user.roles ?? MEMBER),
      subnetRoutes: routes.length === 0 ? NONE : routes.filter((range) => !isWholeFamily(range)),
      exitRoutes: routes.length === 0 ? NONE : routes.filter(isWholeFamily),
      services,
      serviceAddresses:
        services.length === 0 ? NONE : services.flatMap((service) => serviceAddresses(topology, service)),
    };
  });
  return { policy, topology, nodes };
}

/** The users (emails) a group holds, following nested groups once each. */
export function groupMembers(
  policy: PolicyDocument,
  group: string,
  seen: ReadonlySet<string> = new Set(),
): string[] {
  if (seen.has(group)) return [];
  const members = policy.groups?.[group] ?? [];
  const next = new Set(seen).add(group);
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
    case 'group':
    case 'tag':
      return indexOf(context).matching(selector).has(node);
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

/**
 * The devices of a context by tag and by user, built in one pass over the devices, and the devices
 * each user, group and tag selector names, memoized: a selector resolves in the time of its own
 * devices, not of the tailnet's.
 */
interface SelectorIndex {
  /** The devices `selector` names, in the context's order. */
  readonly nodes: (selector: string) => readonly ResolvedNode[];
  /** The same devices as a set, for membership. */
  readonly matching: (selector: string) => ReadonlySet<ResolvedNode>;
  /** The addresses of those devices, in order. */
  readonly addresses: (selector: string) => readonly AddressRange[];
}

const indexes = new WeakMap<SelectorContext, SelectorIndex>();

function indexOf(context: SelectorContext): SelectorIndex {
  let index = indexes.get(context);
  if (index === undefined) {
    index = buildIndex(context);
    indexes.set(context, index);
  }
  return index;
}

function buildIndex(context: SelectorContext): SelectorIndex {
  const { topology } = context;
  const position = new Map<ResolvedNode, number>();
  const byTag = new Map<string, ResolvedNode[]>();
  /** Untagged devices by their owner's email, lowercased (a user selector matches it in any case). */
  const byEmail = new Map<string, ResolvedNode[]>();
  /** Untagged devices by `<name>@` of the first user with their owner's email (the legacy form). */
  const byLegacyName = new Map<string, ResolvedNode[]>();
  const firstByEmail = new Map<string, TopologyUser>();
  for (const user of topology.users) if (!firstByEmail.has(user.email)) firstByEmail.set(user.email, user);
  const add = (map: Map<string, ResolvedNode[]>, key: string, node: ResolvedNode): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [node]);
    else list.push(node);
  };
  context.nodes.forEach((node, i) => {
    position.set(node, i);
    for (const tag of node.node.tags) add(byTag, tag, node);
    if (node.tagged || node.email === undefined) return;
    add(byEmail, node.email.toLowerCase(), node);
    const legacy = firstByEmail.get(node.email);
    if (legacy !== undefined) add(byLegacyName, `${legacy.name}@`, node);
  });
  /** The union of device lists, in the context's order and without repeats. */
  const union = (lists: readonly (readonly ResolvedNode[])[]): readonly ResolvedNode[] => {
    const nonEmpty = lists.filter((list) => list.length > 0);
    if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
    const seen = new Set(nonEmpty.flat());
    return [...seen].sort((a, b) => position.get(a)! - position.get(b)!);
  };
  // A user selector names a device by its owner's email, in any case, or by the legacy `alice@`: the
  // name of the first user with that email.
  const userNodes = (selector: string): readonly ResolvedNode[] =>
    union([
      byEmail.get(selector.toLowerCase()) ?? [],
      selector.endsWith('@') ? (byLegacyName.get(selector) ?? []) : [],
    ]);
  const lists = new Map<string, readonly ResolvedNode[]>();
  const sets = new Map<string, ReadonlySet<ResolvedNode>>();
  const nodes = (selector: string): readonly ResolvedNode[] => {
    let list = lists.get(selector);
    if (list === undefined) {
      switch (selectorKind(selector)) {
        case 'tag':
          list = byTag.get(selector) ?? [];
          break;
        case 'user':
          list = userNodes(selector);
          break;
        case 'group':
          list = union(groupMembers(context.policy, selector).map(userNodes));
          break;
        default:
          list = context.nodes.filter((node) => nodeMatches(context, node, selector));
      }
      lists.set(selector, list);
    }
    return list;
  };
  const matching = (selector: string): ReadonlySet<ResolvedNode> => {
    let set = sets.get(selector);
    if (set === undefined) {
      set = new Set(nodes(selector));
      sets.set(selector, set);
    }
    return set;
  };
  const addressLists = new Map<string, readonly AddressRange[]>();
  const addresses = (selector: string): readonly AddressRange[] => {
    let list = addressLists.get(selector);
    if (list === undefined) {
      const named = nodes(selector);
      // One device (a tag's, a user's in a derived topology): its own list, not a copy.
      if (named.length === 1) list = named[0]!.addresses;
      else {
        const collected: AddressRange[] = [];
        for (const node of named) for (const address of node.addresses) collected.push(address);
        list = collected;
      }
      addressLists.set(selector, list);
    }
    return list;
  };
  return { nodes, matching, addresses };
}

/** The devices a principal selector (user, group, tag, autogroup, `*`) names, memoized per context. */
export function nodesMatching(context: SelectorContext, selector: string): readonly ResolvedNode[] {
  return indexOf(context).nodes(selector);
}

/** The addresses of the devices a principal selector names, memoized per context. */
export function addressesMatching(context: SelectorContext, selector: string): readonly AddressRange[] {
  return indexOf(context).addresses(selector);
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
  return addressesMatching(context, selector);
}
