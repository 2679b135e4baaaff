import type { PolicyDocument } from '../document';
import { policyDocument } from '../normalize';
import { sortedRecord } from '../order';
import { covers, formatRange, parseRange, type AddressRange } from './addresses';
import { internetMatches, type CompiledMatch, type RuleOrigin } from './compile';
import { deriveTopology } from './derive-topology';
import { admittingMatch, grantedCapabilities } from './evaluate-matches';
import { parseProtocol } from './ports';
import {
  effectivePostures,
  postureShortfall,
  usesPostures,
  withPostureAttributes,
  type PostureAttributes,
} from './posture';
import {
  addressRanges,
  nodesMatching,
  selectorKind,
  serviceAddresses,
  type ResolvedNode,
  type SelectorContext,
} from './selectors';
import { compileRules, type CompiledRules } from './simulate';
import type { Topology } from './topology';

/** The question "may `from` reach `to` on `port`/`proto`". */
export interface ConnectQuery {
  /** A principal or address: `group:eng`, `tag:k8s`, `autogroup:member`, `alice@example.com`, a host, an IP. */
  readonly from: string;
  /**
   * A principal or address, as for `from`; a Tailscale Service `svc:name`, reached at its VIPs
   * (the topology's `services`; a derived topology gives every service the policy names a pair);
   * or `autogroup:internet`, an address on the internet, reached through an exit node.
   */
  readonly to: string;
  readonly port: number;
  /** @default 'tcp' */
  readonly proto?: string;
  /**
   * Posture attributes to assume for the devices `from` names (as a policy test's
   * `srcPostureAttrs`), in place of their own `TopologyNode.posture`.
   *
   * @default - each device's own attributes (none on a derived topology)
   */
  readonly srcPostureAttrs?: PostureAttributes;
}

/** The answer to a {@link ConnectQuery}, with its reason. */
export interface ConnectAnswer {
  readonly allowed: boolean;
  /** Why, in words: the rule that allowed it, or that none did. */
  readonly explanation: string;
  /** The policy entries that admitted the traffic. */
  readonly rules: readonly RuleOrigin[];
}

/** The question "which capabilities does `from` get at `to`". */
export interface CapabilityQuery {
  readonly from: string;
  readonly to: string;
}

/** The answer to a {@link CapabilityQuery}. */
export interface CapabilityAnswer {
  /** Capability name → the values granted (merged over rules). */
  readonly capabilities: Readonly<Record<string, readonly unknown[] | null>>;
  readonly explanation: string;
  readonly rules: readonly RuleOrigin[];
}

interface Endpoint {
  readonly label: string;
  /** Each device (or literal address) with its addresses. */
  readonly members: readonly {
    readonly name: string;
    readonly addresses: readonly AddressRange[];
    /**
     * The device of the topology the member is, or whose own address it is: a `via` match admits
     * traffic to no other device.
     */
    readonly device?: string;
  }[];
}

/** The first address of a range; a single address as it is (the evaluator's index knows it by identity). */
function single(range: AddressRange): AddressRange {
  if (range.first === range.last) return range;
  return { family: range.family, first: range.first, last: range.first };
}

/** Resolved endpoints per compiled policy: checks of many constructs ask about the same names. */
const endpointCache = new WeakMap<CompiledRules, Map<string, Endpoint | string>>();

function resolveEndpoint(compiled: CompiledRules, selector: string): Endpoint | string {
  let cache = endpointCache.get(compiled);
  if (cache === undefined) {
    cache = new Map();
    endpointCache.set(compiled, cache);
  }
  let endpoint = cache.get(selector);
  if (endpoint === undefined) {
    endpoint = resolveUncached(compiled, selector);
    cache.set(selector, endpoint);
  }
  return endpoint;
}

/**
 * Devices by own address, per context: each single address with the first device (in the
 * topology's order) holding it, and the devices whose address is wider than one (rare).
 */
interface Owners {
  readonly byAddress: ReadonlyMap<string, number>;
  readonly wide: readonly { readonly device: number; readonly range: AddressRange }[];
}

const ownersCache = new WeakMap<SelectorContext, Owners>();

const ownerKey = (range: AddressRange): string => `${range.family}/${range.first}`;

/** The first device (in the topology's order) whose own addresses hold the single `address`. */
function ownerOf(context: SelectorContext, address: AddressRange): ResolvedNode | undefined {
  let owners = ownersCache.get(context);
  if (owners === undefined) {
    const byAddress = new Map<string, number>();
    const wide: { device: number; range: AddressRange }[] = [];
    context.nodes.forEach((node, device) => {
      for (const range of node.addresses) {
        if (range.first !== range.last) wide.push({ device, range });
        else if (!byAddress.has(ownerKey(range))) byAddress.set(ownerKey(range), device);
      }
    });
    owners = { byAddress, wide };
    ownersCache.set(context, owners);
  }
  const exact = owners.byAddress.get(ownerKey(address));
  const holding = owners.wide.find(({ range }) => covers(range, address))?.device;
  const device = exact === undefined ? holding : holding === undefined ? exact : Math.min(exact, holding);
  return device === undefined ? undefined : context.nodes[device];
}

/**
 * Where `autogroup:internet` is probed: documentation addresses (RFC 5737, RFC 3849), outside the
 * tailnet and every private range, so only exit routes or `*` reach them.
 */
const INTERNET_PROBES: readonly AddressRange[] = ['198.51.100.1', '2001:db8::1']
  .map(parseRange)
  .filter((range) => range !== undefined);

const INTERNET = 'autogroup:internet';

function resolveUncached(compiled: CompiledRules, selector: string): Endpoint | string {
  const { context } = compiled;
  if (selector === INTERNET) {
    return { label: selector, members: [{ name: 'an internet address', addresses: INTERNET_PROBES }] };
  }
  const kind = selectorKind(selector);
  if (kind === 'service') {
    const vips = serviceAddresses(context.topology, selector);
    if (vips.length === 0)
      return `${selector} is not a Tailscale Service of the topology (it has no address)`;
    // One member: the service is reached at its VIPs, whichever device hosts it.
    return { label: selector, members: [{ name: selector, addresses: vips }] };
  }
  if (kind === 'invalid') return `${JSON.stringify(selector)} is not a selector or address`;
  if (kind === 'prefix' || kind === 'host' || kind === 'ipset') {
    const ranges = addressRanges(context, selector);
    if (ranges.length === 0) return `${selector} is not defined in \`hosts\`/\`ipsets\``;
    return {
      label: selector,
      members: ranges.map((range) => {
        const address = single(range);
        // A device's own address is that device: an exit node's `via` match does not reach it.
        const owner = ownerOf(context, address);
        return { name: formatRange(range), addresses: [address], ...(owner && { device: owner.name }) };
      }),
    };
  }
  const devices = nodesMatching(context, selector);
  if (devices.length === 0) return `${selector} names no device`;
  return {
    label: selector,
    members: devices.map((node) => ({ name: node.name, addresses: node.addresses, device: node.name })),
  };
}

/** Which devices host a service, for explanations: reaching its VIPs only helps when one does. */
function hostsNote(compiled: CompiledRules, selector: string): string {
  if (selectorKind(selector) !== 'service') return '';
  const hosts = compiled.context.nodes.filter((node) => node.services.includes(selector));
  return hosts.length === 0
    ? `; no device hosts ${selector} yet (autoApprovers.services approves none that advertises it)`
    : `; ${selector} is hosted by ${hosts.map((node) => node.name).join(', ')}`;
}

function describe(origin: RuleOrigin, policy: PolicyDocument): string {
  if (origin.index < 0) return 'the default policy (no `acls` or `grants`: everything is allowed)';
  const entry = origin.section === 'acls' ? policy.acls?.[origin.index] : policy.grants?.[origin.index];
  return `${origin.section}[${origin.index}] ${JSON.stringify({ src: entry?.src, dst: entry?.dst })}`;
}

/** Compiled tailnets by policy and topology object, so repeated queries compile once. */
const compiledByPolicy = new WeakMap<PolicyDocument, WeakMap<Topology, CompiledRules>>();
/** Topologies derived for a policy given none. */
const derivedTopologies = new WeakMap<PolicyDocument, Topology>();

/** The policy compiled on `topology` (or on one derived from it), compiled once per pair. */
function compiledFor(policy: PolicyDocument, topology: Topology | undefined): CompiledRules {
  let derived = topology ?? derivedTopologies.get(policy);
  if (derived === undefined) {
    derived = deriveTopology(policy);
    derivedTopologies.set(policy, derived);
  }
  let byTopology = compiledByPolicy.get(policy);
  if (byTopology === undefined) {
    byTopology = new WeakMap();
    compiledByPolicy.set(policy, byTopology);
  }
  let compiled = byTopology.get(derived);
  if (compiled === undefined) {
    compiled = compileRules(policy, derived);
    byTopology.set(derived, compiled);
  }
  return compiled;
}

/** Compiled policies with every device given other posture attributes, by attributes. */
const withAttributesCache = new WeakMap<CompiledRules, Map<string, CompiledRules>>();

/** The policy compiled as if every device had `attributes`: what a source with them may reach. */
function compiledWithAttributes(
  policy: PolicyDocument,
  compiled: CompiledRules,
  attributes: PostureAttributes,
): CompiledRules {
  let cache = withAttributesCache.get(compiled);
  if (cache === undefined) {
    cache = new Map();
    withAttributesCache.set(compiled, cache);
  }
  const key = JSON.stringify(sortedRecord(attributes));
  let variant = cache.get(key);
  if (variant === undefined) {
    variant = compileRules(policy, withPostureAttributes(compiled.context.topology, attributes));
    cache.set(key, variant);
  }
  return variant;
}

/** Whether each policy's rules require postures, answered once per policy (it scans every rule). */
const posturesUsed = new WeakMap<PolicyDocument, boolean>();

function postureAware(policy: PolicyDocument): boolean {
  let used = posturesUsed.get(policy);
  if (used === undefined) {
    used = usesPostures(policy);
    posturesUsed.set(policy, used);
  }
  return used;
}

/** Each compiled policy with its postures set aside: which rule would admit traffic a posture stops. */
const withoutPosturesCache = new WeakMap<CompiledRules, CompiledRules>();

function compiledWithoutPostures(policy: PolicyDocument, compiled: CompiledRules): CompiledRules {
  let bare = withoutPosturesCache.get(compiled);
  if (bare === undefined) {
    // A posture without conditions is met by every device.
    const postures = Object.fromEntries(Object.keys(policy.postures ?? {}).map((name) => [name, []]));
    bare = compileRules({ ...policy, postures }, compiled.context.topology);
    withoutPosturesCache.set(compiled, bare);
  }
  return bare;
}

function uniqueOrigins(origins: readonly RuleOrigin[]): RuleOrigin[] {
  const seen = new Map<string, RuleOrigin>();
  for (const origin of origins) seen.set(`${origin.section}[${origin.index}]`, origin);
  return [...seen.values()];
}

/** A member of an endpoint: a device or a literal address. */
type Member = Endpoint['members'][number];

/**
 * Where a {@link ConnectQuery} stands before any explanation is written: refused outright (with
 * why), stopped at the first pair no rule admits, or allowed by the rules of each pair.
 */
type ConnectDecision =
  | { readonly allowed: false; readonly refusal: string }
  | {
      readonly allowed: false;
      readonly refusal?: undefined;
      readonly policy: PolicyDocument;
      readonly compiled: CompiledRules;
      readonly protocols: readonly number[];
      readonly from: Endpoint;
      readonly to: Endpoint;
      readonly source: Member;
      readonly destination: Member;
    }
  | {
      readonly allowed: true;
      readonly policy: PolicyDocument;
      readonly compiled: CompiledRules;
      readonly rules: readonly RuleOrigin[];
    };

/** The matches that decide a query to `to`: internet access has its own. */
function matchesTo(rules: CompiledRules, to: string): readonly CompiledMatch[] {
  return to === INTERNET ? withInternet(rules) : rules.matches;
}

/** The first admitting match over the pair's addresses of one family, then protocols, in order. */
function admitting(
  matches: readonly CompiledMatch[],
  protocols: readonly number[],
  port: number,
  source: Member,
  destination: Member,
): CompiledMatch | undefined {
  for (const src of source.addresses) {
    for (const dst of destination.addresses) {
      if (dst.family !== src.family) continue;
      for (const proto of protocols) {
        const packet = { src: single(src), dst: single(dst), proto, port };
        const found = admittingMatch(matches, packet, destination.device);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}

/** Decides a {@link ConnectQuery}: the rule of {@link canConnect}, without the words. */
function decideConnect(
  input: PolicyDocument,
  topology: Topology | undefined,
  query: ConnectQuery,
): ConnectDecision {
  const policy = policyDocument(input);
  const own = compiledFor(policy, topology);
  const compiled =
    query.srcPostureAttrs === undefined || !postureAware(policy)
      ? own
      : compiledWithAttributes(policy, own, query.srcPostureAttrs);
  const protocols = parseProtocol(query.proto ?? 'tcp');
  if (!protocols.ok) return { allowed: false, refusal: protocols.error };
  if (selectorKind(query.from) === 'service') return { allowed: false, refusal: serviceSource(query.from) };
  const from = resolveEndpoint(compiled, query.from);
  if (typeof from === 'string') return { allowed: false, refusal: from };
  const to = resolveEndpoint(compiled, query.to);
  if (typeof to === 'string') return { allowed: false, refusal: to };
  const matches = matchesTo(compiled, query.to);
  const rules: RuleOrigin[] = [];
  for (const source of from.members) {
    for (const destination of to.members) {
      const match = admitting(matches, protocols.value, query.port, source, destination);
      if (match === undefined) {
        return {
          allowed: false,
          policy,
          compiled,
          protocols: protocols.value,
          from,
          to,
          source,
          destination,
        };
      }
      rules.push(match.origin);
    }
  }
  return { allowed: true, policy, compiled, rules };
}

/**
 * Answers "may `from` reach `to` on `port`" with Tailscale's semantics, explaining the answer.
 *
 * Every device (or address) `from` names must reach every device `to` names; the answer lists the
 * rules that allowed it, or the first pair no rule admits. A rule requiring a posture admits only
 * source devices meeting it (with their `TopologyNode.posture`, or the query's `srcPostureAttrs`);
 * when a posture is what stops a pair, the answer names it and the condition the device fails.
 * Without a topology, one is derived from the policy (one device per tag and per user it names;
 * its devices have no posture attributes).
 */
export function canConnect(
  input: PolicyDocument,
  topology: Topology | undefined,
  query: ConnectQuery,
): ConnectAnswer {
  const decision = decideConnect(input, topology, query);
  if (decision.allowed) {
    const { policy, compiled } = decision;
    const allowedBy = uniqueOrigins(decision.rules);
    return {
      allowed: true,
      explanation: `allowed by ${allowedBy.map((origin) => describe(origin, policy)).join(' and ')}${hostsNote(compiled, query.to)}`,
      rules: allowedBy,
    };
  }
  if (decision.refusal !== undefined) return { allowed: false, explanation: decision.refusal, rules: [] };
  const { policy, compiled, from, to, source, destination } = decision;
  // A rule that admits the traffic once postures are set aside names the posture that stops it.
  const stopped = postureAware(policy)
    ? admitting(
        matchesTo(compiledWithoutPostures(policy, compiled), query.to),
        decision.protocols,
        query.port,
        source,
        destination,
      )
    : undefined;
  let note = '';
  if (stopped !== undefined) {
    const device = compiled.context.nodes.find(
      (node) =>
        node.name === source.name ||
        node.addresses.some((address) => source.addresses.some((range) => covers(range, address))),
    );
    const attributes = query.srcPostureAttrs ?? device?.node.posture ?? {};
    note = postureNote(policy, stopped.origin, device?.name ?? source.name, attributes);
  }
  return {
    allowed: false,
    explanation: `no rule lets ${source.name} (${from.label}) reach ${destination.name} (${to.label}) on ${query.proto ?? 'tcp'}:${query.port}${note}${hostsNote(compiled, query.to)}`,
    rules: [],
  };
}

/**
 * Whether {@link canConnect} allows the query, without building its explanation: for callers that
 * ask many questions and explain only an answer they did not expect.
 */
export function connects(
  input: PolicyDocument,
  topology: Topology | undefined,
  query: ConnectQuery,
): boolean {
  return decideConnect(input, topology, query).allowed;
}

/** Why a rule that would admit a device does not: the postures it requires and what the device lacks. */
function postureNote(
  policy: PolicyDocument,
  origin: RuleOrigin,
  device: string,
  attributes: PostureAttributes,
): string {
  const entry = origin.section === 'acls' ? policy.acls?.[origin.index] : policy.grants?.[origin.index];
  const postures = effectivePostures(policy, entry?.srcPosture);
  const shortfalls = postures.map(
    (name) => `${name}: ${postureShortfall(policy, name, attributes) ?? 'met'}`,
  );
  return `; ${describe(origin, policy)} would, but requires the source to meet ${postures.join(' or ')}, and ${device} does not (${shortfalls.join('; ')})`;
}

/** Internet access matches per compiled policy, built on the first `autogroup:internet` question. */
const internetCache = new WeakMap<CompiledRules, readonly CompiledMatch[]>();

/**
 * The matches that decide internet access: `via` grants through exit nodes (compiled like any
 * match, bound to the exit nodes), `*` destinations, and grants to `autogroup:internet` without
 * `via`, which let their sources use any exit node.
 */
function withInternet(compiled: CompiledRules): readonly CompiledMatch[] {
  let matches = internetCache.get(compiled);
  if (matches === undefined) {
    matches = [...compiled.matches, ...internetMatches(compiled.context)];
    internetCache.set(compiled, matches);
  }
  return matches;
}

/** A Tailscale Service receives traffic at its VIPs; it never sends from them. */
function serviceSource(selector: string): string {
  return `${selector} is a Tailscale Service: it can only be a destination (its hosts send from their own addresses)`;
}

/**
 * Answers "which capabilities does `from` get at `to`": the `app` capabilities every device `from`
 * names receives at every device `to` names, merged, with the rules that grant them.
 */
export function capabilitiesAt(
  input: PolicyDocument,
  topology: Topology | undefined,
  query: CapabilityQuery,
): CapabilityAnswer {
  const policy = policyDocument(input);
  const compiled = compiledFor(policy, topology);
  if (selectorKind(query.from) === 'service') {
    return { capabilities: {}, explanation: serviceSource(query.from), rules: [] };
  }
  const from = resolveEndpoint(compiled, query.from);
  if (typeof from === 'string') return { capabilities: {}, explanation: from, rules: [] };
  const to = resolveEndpoint(compiled, query.to);
  if (typeof to === 'string') return { capabilities: {}, explanation: to, rules: [] };
  // A Map, so that a capability named like an Object member (`constructor`) is one like any other.
  const capabilities = new Map<string, unknown[] | null>();
  const rules: RuleOrigin[] = [];
  const counted = new Set<string>();
  for (const source of from.members) {
    for (const destination of to.members) {
      for (const src of source.addresses) {
        for (const dst of destination.addresses) {
          if (src.family !== dst.family) continue;
          for (const granted of grantedCapabilities(compiled.matches, single(src), single(dst))) {
            // Each rule contributes its values once, however many address pairs it covers.
            const key = `${granted.match.origin.section}[${granted.match.origin.index}]|${granted.cap}`;
            if (counted.has(key)) continue;
            counted.add(key);
            // Appended in place: many rules may give one pair the same capability.
            const previous = capabilities.get(granted.cap);
            if (granted.values === null) {
              if (previous === undefined) capabilities.set(granted.cap, null);
            } else if (previous === undefined || previous === null) {
              capabilities.set(granted.cap, [...granted.values]);
            } else {
              previous.push(...granted.values);
            }
            rules.push(granted.match.origin);
          }
        }
      }
    }
  }
  const grantedBy = uniqueOrigins(rules);
  return {
    capabilities: Object.fromEntries(capabilities),
    explanation:
      grantedBy.length === 0
        ? `no rule grants ${from.label} any capability at ${to.label}`
        : `granted by ${grantedBy.map((origin) => describe(origin, policy)).join(' and ')}`,
    rules: grantedBy,
  };
}

/** A query for {@link evaluate}: a connection (with `port`) or a capability question (without). */
export type EvaluateQuery = (ConnectQuery | CapabilityQuery) & { readonly topology?: Topology };

/**
 * Evaluates a query against a policy: {@link canConnect} when the query has a `port`, else
 * {@link capabilitiesAt}.
 *
 * @example
 * evaluate(policy, { from: 'group:eng', to: 'tag:k8s', port: 443 }).allowed
 */
export function evaluate(
  policy: PolicyDocument,
  query: ConnectQuery & { readonly topology?: Topology },
): ConnectAnswer;
export function evaluate(
  policy: PolicyDocument,
  query: CapabilityQuery & { readonly topology?: Topology },
): CapabilityAnswer;
export function evaluate(policy: PolicyDocument, query: EvaluateQuery): ConnectAnswer | CapabilityAnswer {
  const { topology, ...rest } = query;
  return 'port' in rest ? canConnect(policy, topology, rest) : capabilitiesAt(policy, topology, rest);
}
