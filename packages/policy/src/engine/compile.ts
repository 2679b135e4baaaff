import type { PolicyDocument } from '../document';
import {
  compareRanges,
  covers,
  formatRange,
  meetsUnion,
  overlaps,
  parseRange,
  union,
  type AddressRange,
} from './addresses';
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
  addressesMatching,
  addressRanges,
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

/**
 * The destinations one selector of a tailnet-wide match stands for: its address list, shared by
 * every match naming the selector (a tag's devices are not copied per grant), with the ports.
 */
export interface MatchTarget {
  readonly ranges: readonly AddressRange[];
  readonly ports: readonly PortRange[];
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

/**
 * A tailnet-wide match as {@link compileMatches} builds it: its destinations as {@link MatchTarget}s,
 * `dsts` (one entry per address, the {@link CompiledMatch} shape) built only when read.
 */
export class RuleMatch implements CompiledMatch {
  readonly origin: RuleOrigin;
  readonly protocols: readonly number[];
  readonly srcs: readonly AddressRange[];
  readonly caps: readonly MatchCapability[];
  readonly onlyNode?: string;
  readonly targets: readonly MatchTarget[];
  #dsts: readonly MatchDestination[] | undefined;

  constructor(fields: Omit<CompiledMatch, 'dsts'>, targets: readonly MatchTarget[]) {
    this.origin = fields.origin;
    this.protocols = fields.protocols;
    this.srcs = fields.srcs;
    this.caps = fields.caps;
    if (fields.onlyNode !== undefined) this.onlyNode = fields.onlyNode;
    this.targets = targets;
  }

  get dsts(): readonly MatchDestination[] {
    this.#dsts ??= this.targets.flatMap(({ ranges, ports, wildcard }) =>
      ranges.map((range) => ({ range, ports, wildcard })),
    );
    return this.#dsts;
  }
}

/** The targets of a match: its own, or one per destination for a match built otherwise. */
const derivedTargets = new WeakMap<CompiledMatch, readonly MatchTarget[]>();

export function targetsOf(match: CompiledMatch): readonly MatchTarget[] {
  if (match instanceof RuleMatch) return match.targets;
  let targets = derivedTargets.get(match);
  if (targets === undefined) {
    targets = match.dsts.map(({ range, ports, wildcard }) => ({ ranges: [range], ports, wildcard }));
    derivedTargets.set(match, targets);
  }
  return targets;
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
  // Each distinct `ip` entry parsed once: grants repeat the same few (`tcp:443`).
  const specs = new Map<string, ReturnType<typeof parseIpSpec>>();
  (policy.grants ?? []).forEach((grant, index) => {
    const groups: DestinationGroup[] = [];
    for (const spec of grant.ip ?? []) {
      let parsed = specs.get(spec);
      if (parsed === undefined) {
        parsed = parseIpSpec(spec);
        specs.set(spec, parsed);
      }
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
  return addressesMatching(context, selector);
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
  const srcs =
    rule.src.length === 1
      ? sourceRanges(context, rule.src[0]!)
      : rule.src.flatMap((selector) => sourceRanges(context, selector));
  return rule.postures.length === 0 ? srcs : withoutAddresses(srcs, failingAddresses(context, rule.postures));
}

function inSet(set: readonly AddressRange[], node: ResolvedNode): boolean {
  return node.addresses.some((address) => set.some((range) => covers(range, address)));
}

function userOwners(context: SelectorContext): ResolvedNode[][] {
  const byUser = new Map<string, ResolvedNode[]>();
  for (const node of context.nodes) {
    if (node.tagged || node.node.user === undefined) continue;
    const owned = byUser.get(node.node.user);
    if (owned === undefined) byUser.set(node.node.user, [node]);
    else owned.push(node);
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
): RuleMatch[] {
  return Object.keys(app)
    .flatMap((cap) => {
      const companion = Object.hasOwn(COMPANION_CAPS, cap) ? COMPANION_CAPS[cap] : undefined;
      return companion === undefined ? [] : [companion];
    })
    .map(
      (cap) =>
        new RuleMatch(
          {
            origin,
            protocols: DEFAULT_PROTOCOLS,
            srcs: dsts,
            caps: srcs.map((range) => ({ range, cap, values: null })),
          },
          [],
        ),
    );
}

function hasRanges(target: MatchTarget): boolean {
  return target.ranges.length > 0;
}

/**
 * Compiles the policy's ACLs and grants into tailnet-wide matches, with `autogroup:self` expanded per
 * user and `via` grants bound to the devices that route them.
 */
export function compileMatches(context: SelectorContext): RuleMatch[] {
  const matches: RuleMatch[] = [];
  for (const rule of normalizeRules(context.policy)) {
    if (rule.src.length === 0 || rule.dst.length === 0) continue;
    const srcs = ruleSources(context, rule);
    if (rule.via.length > 0) {
      matches.push(...compileVia(context, rule, srcs));
      continue;
    }
    for (const group of rule.groups) {
      const targets = (srcs.length > 0 ? group.dsts : [])
        .map(({ selector, ports }): MatchTarget => ({
          ranges: destinationRanges(context, selector),
          ports,
          wildcard: selector === '*',
        }))
        .filter(hasRanges);
      if (srcs.length > 0 && targets.length > 0) {
        matches.push(
          new RuleMatch({ origin: rule.origin, protocols: group.protocols, srcs, caps: [] }, targets),
        );
      }
      const selfPorts = group.dsts.filter((dst) => dst.selector === 'autogroup:self').map((dst) => dst.ports);
      if (selfPorts.length === 0) continue;
      for (const owned of userOwners(context)) {
        const selfSrcs = owned.filter((node) => inSet(srcs, node)).flatMap((node) => node.addresses);
        if (selfSrcs.length === 0) continue;
        const selfTargets = owned.flatMap((node) =>
          node.addresses.flatMap((range) =>
            selfPorts.map((ports) => ({ ranges: [range], ports, wildcard: false })),
          ),
        );
        matches.push(
          new RuleMatch(
            { origin: rule.origin, protocols: group.protocols, srcs: selfSrcs, caps: [] },
            selfTargets,
          ),
        );
      }
    }
    if (rule.app === undefined) continue;
    const others = rule.dst.filter((selector) => selector !== 'autogroup:self');
    if (others.length > 0) {
      const capRanges = others.flatMap((selector) => destinationRanges(context, selector));
      matches.push(
        new RuleMatch(
          { origin: rule.origin, protocols: DEFAULT_PROTOCOLS, srcs, caps: capsFor(rule.app, capRanges) },
          [],
        ),
      );
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
        matches.push(
          new RuleMatch(
            {
              origin: rule.origin,
              protocols: DEFAULT_PROTOCOLS,
              srcs: selfSrcs,
              caps: capsFor(rule.app, ownedAddresses),
            },
            [],
          ),
        );
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
): RuleMatch[] {
  if (srcs.length === 0) return [];
  const matches: RuleMatch[] = [];
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
      matches.push(
        new RuleMatch(
          { origin: rule.origin, protocols: group.protocols, srcs, caps: [], onlyNode: node.name },
          routed.map((range) => ({ ranges: [range], ports, wildcard: false })),
        ),
      );
    }
  }
  return matches;
}

/** The addresses a device receives traffic on as its own: its addresses and the VIPs of services it hosts. */
function ownAddresses(node: ResolvedNode): readonly AddressRange[] {
  return node.serviceAddresses.length === 0 ? node.addresses : [...node.addresses, ...node.serviceAddresses];
}

/** The capabilities of a device's match that has none: one shared empty list, not one per match. */
const NO_CAPS: readonly MatchCapability[] = [];

/**
 * Which devices a destination range concerns: those it holds an own address of (a hosted service's
 * VIP counts, as the client adds them to its local networks) and those serving a route it overlaps.
 * Found without a scan of the devices:
 * their own addresses by address and sorted, and their routes, with the union of all routes (most
 * destinations lie outside every route).
 */
interface DeviceIndex {
  /** Device numbers by own address: by the range object (devices' addresses recur), then by value. */
  readonly byRange: ReadonlyMap<AddressRange, readonly number[]>;
  readonly byAddress: ReadonlyMap<string, readonly number[]>;
  /** Every own address with its device number, sorted by address. */
  readonly sorted: readonly { readonly range: AddressRange; readonly device: number }[];
  readonly routers: readonly { readonly route: AddressRange; readonly device: number }[];
  readonly routeUnion: readonly AddressRange[];
}

function deviceIndex(nodes: readonly ResolvedNode[]): DeviceIndex {
  const byRange = new Map<AddressRange, number[]>();
  const byAddress = new Map<string, number[]>();
  const sorted: { range: AddressRange; device: number }[] = [];
  const routers: { route: AddressRange; device: number }[] = [];
  const add = <K>(map: Map<K, number[]>, key: K, device: number): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [device]);
    else if (list.at(-1) !== device) list.push(device);
  };
  nodes.forEach((node, device) => {
    for (const range of ownAddresses(node)) sorted.push({ range, device });
    for (const route of node.subnetRoutes) routers.push({ route, device });
  });
  sorted.sort((a, b) => compareRanges(a.range, b.range) || a.device - b.device);
  // In device order, so that a device's own addresses list it once, in order.
  for (const { range, device } of [...sorted].sort((a, b) => a.device - b.device)) {
    add(byAddress, `${range.family}:${range.first}`, device);
  }
  for (const { range } of sorted) byRange.set(range, byAddress.get(`${range.family}:${range.first}`)!);
  return { byRange, byAddress, sorted, routers, routeUnion: union(routers.map(({ route }) => route)) };
}

/** The devices that hold `range`, a single address, as an own address. */
function owners(index: DeviceIndex, range: AddressRange): readonly number[] {
  return index.byRange.get(range) ?? index.byAddress.get(`${range.family}:${range.first}`) ?? [];
}

/** The routers serving a route that overlaps `range`. */
function routersOf(index: DeviceIndex, range: AddressRange): readonly number[] {
  if (index.routers.length === 0 || !meetsUnion(index.routeUnion, range)) return [];
  return index.routers.filter(({ route }) => overlaps(route, range)).map(({ device }) => device);
}

/**
 * Calls `visit` with each device `range` concerns (possibly twice: callers skip repeats). The
 * routers of a single address are memoized in `routed`: devices' addresses recur in every match.
 */
function devicesConcerned(
  index: DeviceIndex,
  routed: Map<AddressRange, readonly number[]>,
  range: AddressRange,
  visit: (device: number) => void,
): void {
  let routers: readonly number[] | undefined;
  if (range.first === range.last) {
    for (const device of owners(index, range)) visit(device);
    routers = routed.get(range);
    if (routers === undefined) {
      routers = routersOf(index, range);
      routed.set(range, routers);
    }
  } else {
    const { sorted } = index;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compareRanges(sorted[mid]!.range, range) < 0) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < sorted.length && covers(range, sorted[i]!.range); i++) visit(sorted[i]!.device);
    routers = routersOf(index, range);
  }
  for (const device of routers) visit(device);
}

/**
 * What building any device's filter needs, built once on the first read: which ranges of each
 * address list concern each device, the matches naming each list, and the capabilities and `via`
 * matches per device.
 */
interface FilterPlan {
  /** Per device: the address lists that concern it, each with the positions of its ranges that do. */
  readonly positions: readonly (ReadonlyMap<readonly AddressRange[], readonly number[]> | undefined)[];
  /** Per address list: the matches with a target on it, ascending. */
  readonly users: ReadonlyMap<readonly AddressRange[], readonly number[]>;
  /** The matches with a `*` target: every device enforces them. */
  readonly everywhere: readonly number[];
  /** Per device: the capabilities at its own addresses, with their match, in match order. */
  readonly caps: readonly (
    readonly { readonly match: number; readonly cap: MatchCapability }[] | undefined
  )[];
  /** Per device: its `via` matches. */
  readonly via: readonly (readonly number[] | undefined)[];
}

function filterPlan(matches: readonly CompiledMatch[], nodes: readonly ResolvedNode[]): FilterPlan {
  const index = deviceIndex(nodes);
  const routed = new Map<AddressRange, readonly number[]>();
  const numbers = new Map(nodes.map((node, device) => [node.name, device]));
  const positions: Map<readonly AddressRange[], number[]>[] = [];
  const users = new Map<readonly AddressRange[], number[]>();
  const everywhere: number[] = [];
  const caps: { match: number; cap: MatchCapability }[][] = [];
  const via: number[][] = [];
  matches.forEach((match, i) => {
    if (match.onlyNode !== undefined) {
      const device = numbers.get(match.onlyNode);
      if (device !== undefined) (via[device] ??= []).push(i);
      return;
    }
    for (const target of targetsOf(match)) {
      if (target.wildcard) {
        if (everywhere.at(-1) !== i) everywhere.push(i);
        continue;
      }
      const list = users.get(target.ranges);
      if (list !== undefined) {
        if (list.at(-1) !== i) list.push(i);
        continue;
      }
      users.set(target.ranges, [i]);
      const { ranges } = target;
      for (let p = 0; p < ranges.length; p++) {
        devicesConcerned(index, routed, ranges[p]!, (device) => {
          const byList = (positions[device] ??= new Map());
          const at = byList.get(ranges);
          if (at === undefined) byList.set(ranges, [p]);
          else if (at[at.length - 1] !== p) at.push(p);
        });
      }
    }
    for (const cap of match.caps) {
      // A capability is at a device's own addresses only: its routes do not count.
      const holders =
        cap.range.first === cap.range.last
          ? owners(index, cap.range)
          : nodes.flatMap((node, device) =>
              ownAddresses(node).some((address) => covers(cap.range, address)) ? [device] : [],
            );
      for (const device of holders) {
        // The control plane narrows a capability's destination to the device's own addresses.
        for (const address of ownAddresses(nodes[device]!)) {
          if (covers(cap.range, address))
            (caps[device] ??= []).push({ match: i, cap: { ...cap, range: address } });
        }
      }
    }
  });
  return { positions, users, everywhere, caps, via };
}

/** The matches one device enforces, in order, from the plan. */
function filterOf(plan: FilterPlan, matches: readonly CompiledMatch[], device: number): CompiledMatch[] {
  const lists = plan.positions[device];
  const caps = plan.caps[device] ?? [];
  const sources: (readonly number[])[] = [];
  if (plan.everywhere.length > 0) sources.push(plan.everywhere);
  if (lists !== undefined) for (const list of lists.keys()) sources.push(plan.users.get(list)!);
  if (caps.length > 0) sources.push(caps.map(({ match }) => match).filter((i, k, all) => all[k - 1] !== i));
  const via = plan.via[device];
  if (via !== undefined) sources.push(via);
  let candidates: readonly number[];
  if (sources.length <= 1) candidates = sources[0] ?? [];
  else {
    const all = new Int32Array(sources.reduce((sum, source) => sum + source.length, 0));
    let at = 0;
    for (const source of sources) for (const i of source) all[at++] = i;
    all.sort();
    candidates = all.filter((i, k) => k === 0 || all[k - 1] !== i) as unknown as readonly number[];
  }
  const filter: CompiledMatch[] = [];
  let nextCap = 0;
  for (const i of candidates) {
    const match = matches[i]!;
    if (match.onlyNode !== undefined) {
      filter.push(match);
      continue;
    }
    const dsts: MatchDestination[] = [];
    for (const { ranges, ports, wildcard } of targetsOf(match)) {
      if (wildcard) {
        for (const range of ranges) dsts.push({ range, ports, wildcard });
        continue;
      }
      const at = lists?.get(ranges);
      if (at !== undefined) for (const p of at) dsts.push({ range: ranges[p]!, ports, wildcard });
    }
    const own: MatchCapability[] = [];
    while (nextCap < caps.length && caps[nextCap]!.match === i) own.push(caps[nextCap++]!.cap);
    if (dsts.length === 0 && own.length === 0) continue;
    filter.push({
      origin: match.origin,
      protocols: match.protocols,
      srcs: match.srcs,
      dsts,
      caps: own.length === 0 ? NO_CAPS : own,
    });
  }
  return filter;
}

/**
 * The matches every device enforces on incoming traffic, in their order: each cut down to the
 * destinations that concern the device (`*`, and those {@link devicesConcerned} finds) and to the
 * capabilities at its own addresses; `via` matches whole, on their device only.
 *
 * A device's filter is built when it is first read (a tailnet's filters together are as large as
 * devices × the matches each enforces: 10,000 proxies on one tag under 1,000 grants hold ten
 * million matches). The first read indexes every destination list once, through a
 * {@link DeviceIndex}; each filter then costs its own size, however many devices share a tag.
 */
export function matchesPerNode(
  matches: readonly CompiledMatch[],
  nodes: readonly ResolvedNode[],
): Record<string, CompiledMatch[]> {
  let plan: FilterPlan | undefined;
  const filters: (CompiledMatch[] | undefined)[] = [];
  const result: Record<string, CompiledMatch[]> = {};
  nodes.forEach((node, device) =>
    Object.defineProperty(result, node.name, {
      enumerable: true,
      configurable: true,
      get: () => (filters[device] ??= filterOf((plan ??= filterPlan(matches, nodes)), matches, device)),
    }),
  );
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
export function internetMatches(context: SelectorContext): RuleMatch[] {
  return normalizeRules(context.policy).flatMap((rule) => {
    if (rule.via.length > 0) return [];
    const srcs = ruleSources(context, rule);
    return rule.groups.flatMap((group) => {
      const targets = group.dsts
        .filter((dst) => dst.selector === 'autogroup:internet')
        .map((dst) => ({ ranges: WHOLE_SPACE, ports: dst.ports, wildcard: false }));
      return srcs.length > 0 && targets.length > 0
        ? [new RuleMatch({ origin: rule.origin, protocols: group.protocols, srcs, caps: [] }, targets)]
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
