import type { PolicyDocument } from '../document';
import { covers, formatRange, overlaps, parseRange, type AddressRange } from './addresses';
import { forwardedByExitNode } from './exit-routes';
import { effectivePostures, meetsPostures } from './posture';
import {
  ALL_PORTS,
  DEFAULT_PROTOCOLS,
  parseIpSpec,
  parsePorts,
  parseProtocol,
  type PortRange,
} from './ports';
import {
  addressRanges,
  nodesMatching,
  selectorKind,
  serviceAddresses,
  sourceRanges,
  splitDestination,
  type ResolvedNode,
  type SelectorContext,
} from './selectors';

/** The policy sections that produce packet-filter matches. */
export const RULE_SECTIONS = ['acls', 'grants'] as const;

/** Which policy entry a compiled match came from (`index` -1: the default allow-all policy). */
export interface RuleOrigin {
  readonly section: (typeof RULE_SECTIONS)[number];
  readonly index: number;
}

/** A destination with ports inside a compiled match. */
export interface MatchDestination {
  readonly range: AddressRange;
  readonly ports: readonly PortRange[];
  /** Whether the destination was `*` (kept on every device). */
  readonly wildcard: boolean;
}

/** A capability grant inside a compiled match. */
export interface MatchCapability {
  readonly range: AddressRange;
  readonly cap: string;
  readonly values: readonly unknown[] | null;
}

/** A tailnet-wide packet-filter match before it is cut down to one device. */
export interface CompiledMatch {
  readonly origin: RuleOrigin;
  readonly protocols: readonly number[];
  readonly srcs: readonly AddressRange[];
  readonly dsts: readonly MatchDestination[];
  readonly caps: readonly MatchCapability[];
  /** Set for `via` matches: the only device that enforces it. */
  readonly onlyNode?: string;
}

/** One packet-filter match in the captures' shape. */
export interface FilterMatch {
  readonly protos: readonly number[];
  readonly srcs: readonly string[];
  readonly dsts: readonly { readonly net: string; readonly ports: PortRange }[];
  readonly caps: readonly {
    readonly dst: string;
    readonly cap: string;
    readonly values: readonly unknown[] | null;
  }[];
}

/** Peer capabilities that imply a reverse companion capability, as the control plane adds them. */
const COMPANION_CAPS: Readonly<Record<string, string>> = {
  'tailscale.com/cap/drive': 'tailscale.com/cap/drive-sharer',
  'tailscale.com/cap/relay': 'tailscale.com/cap/relay-target',
};

const WHOLE_SPACE: readonly AddressRange[] = [parseRange('0.0.0.0/0'), parseRange('::/0')].filter(
  (range) => range !== undefined,
);

interface DestinationGroup {
  readonly protocols: readonly number[];
  readonly dsts: readonly { readonly selector: string; readonly ports: readonly PortRange[] }[];
}

interface NormalizedRule {
  readonly origin: RuleOrigin;
  readonly src: readonly string[];
  readonly dst: readonly string[];
  readonly groups: readonly DestinationGroup[];
  readonly app: Readonly<Record<string, readonly unknown[]>> | undefined;
  readonly via: readonly string[];
  /** The postures a source device must meet one of (none: every device). */
  readonly postures: readonly string[];
}

/** ACLs and grants in one shape: sources, destination groups by protocol, capabilities. */
function normalizeRules(policy: PolicyDocument): NormalizedRule[] {
  const rules: NormalizedRule[] = [];
  if (policy.acls === undefined && policy.grants === undefined) {
    // A policy with neither section is the control plane's default: everyone may reach everything.
    return [
      {
        origin: { section: 'acls', index: -1 },
        src: ['*'],
        dst: ['*'],
        groups: [{ protocols: DEFAULT_PROTOCOLS, dsts: [{ selector: '*', ports: [ALL_PORTS] }] }],
        app: undefined,
        via: [],
        postures: [],
      },
    ];
  }
  (policy.grants ?? []).forEach((grant, index) => {
    const groups: DestinationGroup[] = [];
    for (const spec of grant.ip ?? []) {
      const parsed = parseIpSpec(spec);
      if (!parsed.ok) continue;
      groups.push({
        protocols: parsed.value.protocols,
        dsts: grant.dst.map((selector) => ({ selector, ports: parsed.value.ports })),
      });
    }
    rules.push({
      origin: { section: 'grants', index },
      src: grant.src,
      dst: grant.dst,
      groups,
      app: grant.app,
      via: grant.via ?? [],
      postures: effectivePostures(policy, grant.srcPosture),
    });
  });
  (policy.acls ?? []).forEach((acl, index) => {
    const protocols = parseProtocol(acl.proto);
    const dsts = acl.dst.flatMap((text) => {
      const split = splitDestination(text);
      const ports = split === undefined ? undefined : parsePorts(split.ports);
      return split === undefined || ports === undefined || !ports.ok
        ? []
        : [{ selector: split.selector, ports: ports.value }];
    });
    rules.push({
      origin: { section: 'acls', index },
      src: acl.src,
      dst: dsts.map((dst) => dst.selector),
      groups: protocols.ok ? [{ protocols: protocols.value, dsts }] : [],
      app: undefined,
      via: [],
      postures: effectivePostures(policy, acl.srcPosture),
    });
  });
  return rules;
}

/**
 * The destination addresses a selector stands for: `*` is every address (Tailscale Services'
 * VIPs included), `svc:name` is the service's VIP pair.
 */
export function destinationRanges(context: SelectorContext, selector: string): readonly AddressRange[] {
  const kind = selectorKind(selector);
  if (kind === 'wildcard') return WHOLE_SPACE;
  if (kind === 'service') return serviceAddresses(context.topology, selector);
  if (kind === 'prefix' || kind === 'host' || kind === 'ipset') return addressRanges(context, selector);
  if (selector === 'autogroup:internet' || selector === 'autogroup:self') return [];
  return nodesMatching(context, selector).flatMap((node) => node.addresses);
}

/** Removes single addresses from ranges, splitting a range around each address inside it. */
function withoutAddresses(
  ranges: readonly AddressRange[],
  holes: readonly AddressRange[],
): readonly AddressRange[] {
  let result = ranges;
  for (const hole of holes) {
    if (!result.some((range) => covers(range, hole))) continue;
    result = result.flatMap((range) => {
      if (!covers(range, hole)) return [range];
      const parts: AddressRange[] = [];
      if (range.first < hole.first)
        parts.push({ family: range.family, first: range.first, last: hole.first - 1n });
      if (hole.last < range.last)
        parts.push({ family: range.family, first: hole.last + 1n, last: range.last });
      return parts;
    });
  }
  return result;
}

/** Addresses of the devices that fail a rule's postures, per context and posture list. */
const failingCache = new WeakMap<SelectorContext, Map<string, readonly AddressRange[]>>();

function failingAddresses(context: SelectorContext, postures: readonly string[]): readonly AddressRange[] {
  let cache = failingCache.get(context);
  if (cache === undefined) {
    cache = new Map();
    failingCache.set(context, cache);
  }
  const key = postures.join('\u0000');
  let failing = cache.get(key);
  if (failing === undefined) {
    failing = context.nodes
      .filter((node) => !meetsPostures(context.policy, postures, node.node.posture ?? {}))
      .flatMap((node) => node.addresses);
    cache.set(key, failing);
  }
  return failing;
}

/**
 * The source addresses of a rule: its selectors' addresses, less the devices that meet none of its
 * postures. Posture is a property of the tailnet's devices, so it narrows only their addresses; a
 * route or an address outside the topology's devices passes as the selector names it.
 */
function ruleSources(context: SelectorContext, rule: NormalizedRule): readonly AddressRange[] {
  const srcs = rule.src.flatMap((selector) => sourceRanges(context, selector));
  return rule.postures.length === 0 ? srcs : withoutAddresses(srcs, failingAddresses(context, rule.postures));
}

function inSet(set: readonly AddressRange[], node: ResolvedNode): boolean {
  return node.addresses.some((address) => set.some((range) => covers(range, address)));
}

function userOwners(context: SelectorContext): ResolvedNode[][] {
  const byUser = new Map<string, ResolvedNode[]>();
  for (const node of context.nodes) {
    if (node.tagged || node.node.user === undefined) continue;
    byUser.set(node.node.user, [...(byUser.get(node.node.user) ?? []), node]);
  }
  return [...byUser.values()];
}

function capsFor(
  app: Readonly<Record<string, readonly unknown[]>>,
  ranges: readonly AddressRange[],
): MatchCapability[] {
  return Object.entries(app).flatMap(([cap, values]) => ranges.map((range) => ({ range, cap, values })));
}

function companions(
  origin: RuleOrigin,
  app: Readonly<Record<string, readonly unknown[]>>,
  srcs: readonly AddressRange[],
  dsts: readonly AddressRange[],
): CompiledMatch[] {
  return Object.keys(app)
    .flatMap((cap) => {
      const companion = Object.hasOwn(COMPANION_CAPS, cap) ? COMPANION_CAPS[cap] : undefined;
      return companion === undefined ? [] : [companion];
    })
    .map((cap) => ({
      origin,
      protocols: DEFAULT_PROTOCOLS,
      srcs: dsts,
      dsts: [],
      caps: srcs.map((range) => ({ range, cap, values: null })),
    }));
}

/**
 * Compiles the policy's ACLs and grants into tailnet-wide matches, with `autogroup:self` expanded per
 * user and `via` grants bound to the devices that route them.
 */
export function compileMatches(context: SelectorContext): CompiledMatch[] {
  const matches: CompiledMatch[] = [];
  for (const rule of normalizeRules(context.policy)) {
    if (rule.src.length === 0 || rule.dst.length === 0) continue;
    const srcs = ruleSources(context, rule);
    if (rule.via.length > 0) {
      matches.push(...compileVia(context, rule, srcs));
      continue;
    }
    for (const group of rule.groups) {
      const dsts: MatchDestination[] = group.dsts.flatMap((dst) =>
        destinationRanges(context, dst.selector).map((range) => ({
          range,
          ports: dst.ports,
          wildcard: dst.selector === '*',
        })),
      );
      if (srcs.length > 0 && dsts.length > 0) {
        matches.push({ origin: rule.origin, protocols: group.protocols, srcs, dsts, caps: [] });
      }
      const selfPorts = group.dsts.filter((dst) => dst.selector === 'autogroup:self').map((dst) => dst.ports);
      if (selfPorts.length === 0) continue;
      for (const owned of userOwners(context)) {
        const selfSrcs = owned.filter((node) => inSet(srcs, node)).flatMap((node) => node.addresses);
        if (selfSrcs.length === 0) continue;
        const selfDsts = owned.flatMap((node) =>
          node.addresses.flatMap((range) => selfPorts.map((ports) => ({ range, ports, wildcard: false }))),
        );
        matches.push({
          origin: rule.origin,
          protocols: group.protocols,
          srcs: selfSrcs,
          dsts: selfDsts,
          caps: [],
        });
      }
    }
    if (rule.app === undefined) continue;
    const others = rule.dst.filter((selector) => selector !== 'autogroup:self');
    if (others.length > 0) {
      const capRanges = others.flatMap((selector) => destinationRanges(context, selector));
      matches.push({
        origin: rule.origin,
        protocols: DEFAULT_PROTOCOLS,
        srcs,
        dsts: [],
        caps: capsFor(rule.app, capRanges),
      });
      // A companion capability flows back from the destinations, so `*` means what it means as a source.
      const companionSrcs = others.flatMap((selector) =>
        selector === '*' ? sourceRanges(context, selector) : destinationRanges(context, selector),
      );
      matches.push(...companions(rule.origin, rule.app, srcs, companionSrcs));
    }
    if (rule.dst.includes('autogroup:self')) {
      for (const owned of userOwners(context)) {
        const selfSrcs = owned.filter((node) => inSet(srcs, node)).flatMap((node) => node.addresses);
        if (selfSrcs.length === 0) continue;
        const ownedAddresses = owned.flatMap((node) => node.addresses);
        matches.push({
          origin: rule.origin,
          protocols: DEFAULT_PROTOCOLS,
          srcs: selfSrcs,
          dsts: [],
          caps: capsFor(rule.app, ownedAddresses),
        });
        matches.push(...companions(rule.origin, rule.app, selfSrcs, ownedAddresses));
      }
    }
  }
  return matches;
}

function compileVia(
  context: SelectorContext,
  rule: NormalizedRule,
  srcs: readonly AddressRange[],
): CompiledMatch[] {
  if (srcs.length === 0) return [];
  const matches: CompiledMatch[] = [];
  for (const node of context.nodes) {
    if (!rule.via.some((tag) => node.node.tags.includes(tag))) continue;
    const routed: AddressRange[] = [];
    for (const selector of rule.dst) {
      if (selector === 'autogroup:internet') {
        routed.push(...forwardedByExitNode(node.exitRoutes));
        continue;
      }
      // A routed destination is kept as written when it overlaps a subnet route the device serves.
      for (const range of addressRanges(context, selector)) {
        if (node.subnetRoutes.some((route) => overlaps(route, range))) routed.push(range);
      }
    }
    if (routed.length === 0) continue;
    for (const group of rule.groups) {
      const ports = group.dsts[0]?.ports ?? [];
      matches.push({
        origin: rule.origin,
        protocols: group.protocols,
        srcs,
        dsts: routed.map((range) => ({ range, ports, wildcard: false })),
        caps: [],
        onlyNode: node.name,
      });
    }
  }
  return matches;
}

/** The addresses a device receives traffic on as its own: its addresses and the VIPs of services it hosts. */
function ownAddresses(node: ResolvedNode): readonly AddressRange[] {
  return node.serviceAddresses.length === 0 ? node.addresses : [...node.addresses, ...node.serviceAddresses];
}

/**
 * Whether a destination range concerns the device: it holds one of its own addresses (a hosted
 * service's VIP counts, as the client adds them to its local networks) or overlaps a route it serves.
 */
function relevantTo(node: ResolvedNode, range: AddressRange): boolean {
  return (
    ownAddresses(node).some((address) => covers(range, address)) ||
    node.subnetRoutes.some((route) => overlaps(route, range))
  );
}

/** The matches one device enforces on incoming traffic: each cut down to the destinations that concern it. */
export function matchesForNode(matches: readonly CompiledMatch[], node: ResolvedNode): CompiledMatch[] {
  const result: CompiledMatch[] = [];
  for (const match of matches) {
    if (match.onlyNode !== undefined) {
      if (match.onlyNode === node.name) result.push(match);
      continue;
    }
    const dsts = match.dsts.filter((dst) => dst.wildcard || relevantTo(node, dst.range));
    // The control plane narrows a capability's destination to the device's own addresses.
    const caps = match.caps.flatMap((cap) =>
      ownAddresses(node)
        .filter((address) => covers(cap.range, address))
        .map((range) => ({ ...cap, range })),
    );
    if (dsts.length === 0 && caps.length === 0) continue;
    result.push({ ...match, dsts, caps });
  }
  return result;
}

/**
 * {@link matchesForNode} for every device at once, the same result in the same order: matches whose
 * destinations are single addresses are indexed by address, so a device scans only the matches
 * naming one of its own addresses plus the broad ones (`*`, prefixes, `via`). A subnet router
 * scans everything, as a single address may lie in a route it serves.
 */
export function matchesPerNode(
  matches: readonly CompiledMatch[],
  nodes: readonly ResolvedNode[],
): Record<string, CompiledMatch[]> {
  const key = (range: AddressRange): string => `${range.family}:${range.first}`;
  const byAddress = new Map<string, number[]>();
  const broad: number[] = [];
  matches.forEach((match, index) => {
    const ranges = [...match.dsts.map((dst) => dst.range), ...match.caps.map((cap) => cap.range)];
    const isBroad =
      match.onlyNode !== undefined ||
      match.dsts.some((dst) => dst.wildcard) ||
      ranges.some((range) => range.first !== range.last);
    if (isBroad) {
      broad.push(index);
      return;
    }
    for (const range of new Set(ranges.map(key)))
      byAddress.set(range, [...(byAddress.get(range) ?? []), index]);
  });
  const result: Record<string, CompiledMatch[]> = {};
  for (const node of nodes) {
    if (node.subnetRoutes.length > 0) {
      result[node.name] = matchesForNode(matches, node);
      continue;
    }
    const candidates = new Set(broad);
    for (const address of ownAddresses(node))
      for (const index of byAddress.get(key(address)) ?? []) candidates.add(index);
    const ordered = [...candidates].sort((a, b) => a - b).map((index) => matches[index]!);
    result[node.name] = matchesForNode(ordered, node);
  }
  return result;
}

/** Renders a compiled match in the captures' shape. */
export function toFilterMatch(match: CompiledMatch): FilterMatch {
  return {
    protos: match.protocols,
    srcs: match.srcs.map(formatRange),
    dsts: match.dsts.flatMap((dst) => dst.ports.map((ports) => ({ net: formatRange(dst.range), ports }))),
    caps: match.caps.map((cap) => ({ dst: formatRange(cap.range), cap: cap.cap, values: cap.values })),
  };
}

/**
 * What a grant or ACL to `autogroup:internet` (without `via`) admits, as matches to every address:
 * exit nodes enforce no filter for it, so these are for the evaluator only, never a device's filter.
 */
export function internetMatches(context: SelectorContext): CompiledMatch[] {
  return normalizeRules(context.policy).flatMap((rule) => {
    if (rule.via.length > 0) return [];
    const srcs = ruleSources(context, rule);
    return rule.groups.flatMap((group) => {
      const dsts = group.dsts
        .filter((dst) => dst.selector === 'autogroup:internet')
        .flatMap((dst) => WHOLE_SPACE.map((range) => ({ range, ports: dst.ports, wildcard: false })));
      return srcs.length > 0 && dsts.length > 0
        ? [{ origin: rule.origin, protocols: group.protocols, srcs, dsts, caps: [] }]
        : [];
    });
  });
}

/**
 * The source addresses allowed to `autogroup:internet` (or to `*`, which includes it): they get no
 * filter entry (exit nodes do not filter internet traffic) but they are who may use an exit node.
 */
export function internetSources(context: SelectorContext): AddressRange[] {
  return normalizeRules(context.policy)
    .filter(
      (rule) =>
        rule.via.length === 0 &&
        rule.groups.length > 0 &&
        (rule.dst.includes('autogroup:internet') || rule.dst.includes('*')),
    )
    .flatMap((rule) => ruleSources(context, rule));
}
