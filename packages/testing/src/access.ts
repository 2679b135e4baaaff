import {
  ValidationError,
  canConnect,
  capabilitiesAt,
  namedList,
  type Grant,
  type PolicyDocument,
  type RuleOrigin,
  type Topology,
} from '@tailkube/core/internal';
import type { ConstructIdentity } from './construct-identity';
import { describeObject } from './describe-object';
import type { SynthResult } from './result';

/**
 * What an access question is answered on: a test tailnet's policy, devices and constructs.
 * `TestTailnet` is one; the matchers take it through this shape so that this module needs no
 * import of the class that calls it.
 */
export interface EvaluatedTailnet {
  readonly result: SynthResult;
  readonly constructs: readonly ConstructIdentity[];
  readonly policy: PolicyDocument;
  readonly topology: Topology;
  devicesOf(identity: ConstructIdentity): readonly string[];
  addressesOf(device: string): readonly string[];
}

/**
 * One end of an access question: a principal or address as the policy writes it (`group:eng`,
 * `alice@example.com`, `tag:ci`, `autogroup:member`, a host alias, an IP, `svc:name` as a target),
 * or a tailkube construct of the program.
 */
export type Endpoint = string | object;

/** The answer to "may `from` reach `to`", explained. */
export interface AccessAnswer {
  readonly allowed: boolean;
  /** `from`, as named in messages. */
  readonly from: string;
  /** `to`, as named in messages. */
  readonly to: string;
  /** The rules that allowed it, or why nothing did (the first device pair no rule admits). */
  readonly explanation: string;
  /** The policy entries that admitted the traffic. */
  readonly rules: readonly RuleOrigin[];
  /** When denied: the narrowest grant that would allow it. */
  readonly neededGrant?: Grant;
}

/** The answer to "which capabilities does `from` get at `to`", explained. */
export interface CapabilitiesAnswer {
  /** `from`, as named in messages. */
  readonly from: string;
  /** `to`, as named in messages. */
  readonly to: string;
  /** Capability name → the values granted, merged over the rules and device pairs. */
  readonly capabilities: Readonly<Record<string, readonly unknown[] | null>>;
  /** The rules that granted them, or that none did. */
  readonly explanation: string;
  readonly rules: readonly RuleOrigin[];
  /** What a grant giving a capability here would name as `src` and `dst`. */
  readonly grantEnds: { readonly src: readonly string[]; readonly dst: readonly string[] };
}

/** An end, resolved to what the evaluator is asked about. */
interface ResolvedEnd {
  readonly label: string;
  /** Per member (a device or the selector itself): the selectors to ask about, any of which may answer. */
  readonly members: readonly (readonly string[])[];
  /** What a grant names for this end. */
  readonly selectors: readonly string[];
  /** Addresses in the evaluator's words → the device they stand for. */
  readonly names: ReadonlyMap<string, string>;
}

/**
 * Which end: the principal, a target traffic reaches (a construct's Tailscale Service when it
 * serves one), or a target whose devices are asked (capabilities).
 */
type Role = 'from' | 'to' | 'devices';

/**
 * How the evaluator words an answer it could evaluate but found nothing for (`no rule lets …`,
 * `no rule grants …`). Any other negative answer means it could not resolve an end or the
 * protocol: core exports no separate resolution check.
 */
const EVALUATED_NOTHING = 'no rule ';

/** Checks a connection for `caller` (a matcher or method name, for messages). */
export function checkConnect(
  tailnet: EvaluatedTailnet,
  caller: string,
  query: { readonly from: Endpoint; readonly to: Endpoint; readonly port: number; readonly proto?: string },
): AccessAnswer {
  const { port, proto = 'tcp' } = query;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ValidationError({
      path: caller,
      field: 'port',
      value: port,
      allowed: 'an integer from 1 to 65535',
    });
  }
  const from = resolveEnd(tailnet, caller, 'from', query.from);
  const to = resolveEnd(tailnet, caller, 'to', query.to);
  const rules = new Map<string, RuleOrigin>();
  for (const source of from.members) {
    for (const destination of to.members) {
      let denial: string | undefined;
      for (const [fromSelector, toSelector] of pairs(source, destination)) {
        const answer = canConnect(tailnet.policy, tailnet.topology, {
          from: fromSelector,
          to: toSelector,
          port,
          proto,
        });
        if (!answer.allowed && !answer.explanation.startsWith(EVALUATED_NOTHING)) {
          throw unanswerable(caller, from, to, answer.explanation);
        }
        if (answer.allowed) {
          for (const rule of answer.rules) rules.set(`${rule.section}[${rule.index}]`, rule);
          denial = undefined;
          break;
        }
        denial ??= answer.explanation;
      }
      if (denial !== undefined) {
        return {
          allowed: false,
          from: from.label,
          to: to.label,
          explanation: rename(denial, from, to),
          rules: [],
          neededGrant: { src: [...from.selectors], dst: [...to.selectors], ip: [`${proto}:${port}`] },
        };
      }
    }
  }
  const allowedBy = [...rules.values()];
  return {
    allowed: true,
    from: from.label,
    to: to.label,
    explanation: `allowed by ${allowedBy.map((rule) => describeRule(tailnet, rule)).join(' and ')}`,
    rules: allowedBy,
  };
}

/** Collects the capabilities `from` gets at `to`, for `caller`. */
export function checkCapabilities(
  tailnet: EvaluatedTailnet,
  caller: string,
  query: { readonly from: Endpoint; readonly to: Endpoint },
): CapabilitiesAnswer {
  const from = resolveEnd(tailnet, caller, 'from', query.from);
  // The control plane grants capabilities to devices, never at a `svc:` address: a construct that
  // serves a Tailscale Service is asked about at its devices.
  const to = resolveEnd(tailnet, caller, 'devices', query.to);
  const capabilities: Record<string, unknown[] | null> = {};
  const rules = new Map<string, RuleOrigin>();
  for (const source of from.members) {
    for (const destination of to.members) {
      // A device's IPv4 address stands for it: capabilities are granted per device, not per family.
      const answer = capabilitiesAt(tailnet.policy, tailnet.topology, {
        from: source[0] ?? '',
        to: destination[0] ?? '',
      });
      if (answer.rules.length === 0 && !answer.explanation.startsWith(EVALUATED_NOTHING)) {
        throw unanswerable(caller, from, to, answer.explanation);
      }
      for (const rule of answer.rules) rules.set(`${rule.section}[${rule.index}]`, rule);
      for (const [name, values] of Object.entries(answer.capabilities)) {
        const merged =
          capabilities[name] === undefined ? values : [...(capabilities[name] ?? []), ...(values ?? [])];
        capabilities[name] = merged === null ? null : uniqueJson(merged);
      }
    }
  }
  const grantedBy = [...rules.values()];
  return {
    from: from.label,
    to: to.label,
    capabilities,
    explanation:
      grantedBy.length === 0
        ? `no rule grants ${from.label} any capability at ${to.label}`
        : `granted by ${grantedBy.map((rule) => describeRule(tailnet, rule)).join(' and ')}`,
    rules: grantedBy,
    grantEnds: { src: from.selectors, dst: to.selectors },
  };
}

/** The identity of a construct of the program, or a matcher error naming what was passed. */
export function identityFor(
  tailnet: EvaluatedTailnet,
  caller: string,
  field: string,
  value: object,
): ConstructIdentity {
  const source = tailnet.result.sourceOf(value);
  const identity = source === undefined ? undefined : identitiesBySource(tailnet.constructs).get(source);
  if (identity) return identity;
  const known = tailnet.constructs.map((construct) => construct.source);
  throw new ValidationError({
    path: caller,
    field,
    value: describeObject(value),
    allowed: 'a principal or address string, or a tailkube construct of the program that was synthesized',
    hint: `it registered nothing with this program's tailnet (a construct of another app or run, or not a tailkube construct); the program's constructs are ${namedList(known) || 'none'}`,
  });
}

function resolveEnd(tailnet: EvaluatedTailnet, caller: string, role: Role, value: Endpoint): ResolvedEnd {
  const field = role === 'from' ? 'principal' : 'target';
  if (typeof value === 'string') {
    checkNamed(tailnet, caller, field, role, value);
    return { label: value, members: [[value]], selectors: [value], names: new Map() };
  }
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError({
      path: caller,
      field,
      value,
      allowed: 'a principal or address string, or a tailkube construct of the program',
    });
  }
  const identity = identityFor(tailnet, caller, field, value);
  const devices = tailnet.devicesOf(identity);
  if (role === 'to' && identity.services.length > 0) {
    return {
      label: identity.source,
      members: identity.services.map((service) => [service]),
      selectors: identity.services,
      names: new Map(),
    };
  }
  if (devices.length > 0) {
    const names = new Map<string, string>();
    const members = devices.map((device) => {
      const addresses = tailnet.addressesOf(device);
      const [ipv4 = '', ipv6 = ''] = addresses;
      names.set(`${ipv4}/32 (${ipv4})`, `${device} (${identity.source})`);
      names.set(`${ipv6}/128 (${ipv6})`, `${device} (${identity.source})`);
      return addresses;
    });
    return { label: identity.source, members, selectors: identity.tags, names };
  }
  if (role === 'devices' && identity.services.length > 0) {
    throw new ValidationError({
      path: caller,
      field,
      value: identity.source,
      allowed: 'a construct with devices (capabilities are granted to devices, never at a Tailscale Service)',
      hint: `it serves ${identity.services.join(', ')} on another construct's devices; pass that construct`,
    });
  }
  if (role !== 'from' && identity.selectors.length > 0) {
    return {
      label: identity.source,
      members: identity.selectors.map((selector) => [selector]),
      selectors: identity.selectors,
      names: new Map(),
    };
  }
  throw new ValidationError({
    path: caller,
    field,
    value: identity.source,
    allowed:
      role === 'from'
        ? 'a construct with devices on the tailnet (a Tailscale Service is not a source)'
        : 'a construct with devices or a Tailscale Service on the tailnet',
    hint: 'it registers no tags, hostnames or Tailscale Services',
  });
}

/** Fails on a name the policy and topology do not know, before the evaluator reads it as "no device". */
function checkNamed(
  tailnet: EvaluatedTailnet,
  caller: string,
  field: string,
  role: Role,
  value: string,
): void {
  const fail = (allowed: string, hint: string): never => {
    throw new ValidationError({ path: caller, field, value, allowed, hint });
  };
  if (value.startsWith('svc:') && role === 'from') {
    fail('a principal (a Tailscale Service is only ever a target)', 'pass the construct that hosts it');
  }
  if (value.startsWith('group:') && tailnet.policy.groups?.[value] === undefined) {
    fail(
      'a group the policy declares',
      `declared groups: ${namedList(Object.keys(tailnet.policy.groups ?? {})) || 'none'}; add members for the test with \`TestTailnet.of(result).withUser(login, { groups: [${JSON.stringify(value)}] })\``,
    );
  }
  if (value.startsWith('tag:') && !namesOf(tailnet.topology).tags.has(value)) {
    fail(
      'a tag some device carries',
      `no construct uses it and the policy does not own it; add a device with \`withDevice(name, { tags: [${JSON.stringify(value)}] })\``,
    );
  }
  if (!value.includes(':') && value.includes('@') && !namesOf(tailnet.topology).emails.has(value)) {
    fail(
      'a user the policy names',
      `add the user for the test with \`TestTailnet.of(result).withUser(${JSON.stringify(value)})\``,
    );
  }
}

/** The evaluator could not resolve an end (an autogroup with no device, an unknown host) or the protocol. */
function unanswerable(
  caller: string,
  from: ResolvedEnd,
  to: ResolvedEnd,
  explanation: string,
): ValidationError {
  return new ValidationError({
    path: caller,
    field: 'principal, target and protocol',
    value: `${from.label} → ${to.label}`,
    allowed: 'ends and a protocol the policy can resolve',
    hint: explanation,
  });
}

/**
 * The selector pairs to ask about for one pair of members, any of which may admit: a device's IPv4
 * with the other device's IPv4, IPv6 with IPv6; a selector with each address of a device.
 */
function pairs(from: readonly string[], to: readonly string[]): (readonly [string, string])[] {
  if (from.length === to.length) return from.map((selector, index) => [selector, to[index] ?? ''] as const);
  return from.flatMap((f) => to.map((t) => [f, t] as const));
}

function rename(explanation: string, ...ends: readonly ResolvedEnd[]): string {
  let text = explanation;
  for (const end of ends) for (const [address, name] of end.names) text = text.split(address).join(name);
  return text;
}

function describeRule(tailnet: EvaluatedTailnet, rule: RuleOrigin): string {
  if (rule.index < 0) return 'the default policy (no `acls` or `grants`: everything is allowed)';
  const policy = tailnet.policy;
  const entry = rule.section === 'acls' ? policy.acls?.[rule.index] : policy.grants?.[rule.index];
  return `${rule.section}[${rule.index}] ${JSON.stringify(entry)}`;
}

function uniqueJson(values: readonly unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const value of values) seen.set(JSON.stringify(value), value);
  return [...seen.values()];
}

/** Each program's construct identities by source (the first of a source): built once per program. */
const identities = new WeakMap<readonly ConstructIdentity[], ReadonlyMap<string, ConstructIdentity>>();

function identitiesBySource(
  constructs: readonly ConstructIdentity[],
): ReadonlyMap<string, ConstructIdentity> {
  let bySource = identities.get(constructs);
  if (bySource === undefined) {
    const built = new Map<string, ConstructIdentity>();
    for (const identity of constructs) if (!built.has(identity.source)) built.set(identity.source, identity);
    bySource = built;
    identities.set(constructs, bySource);
  }
  return bySource;
}

/** The tags the devices of a topology carry and the emails of its users: gathered once per topology. */
const names = new WeakMap<
  Topology,
  { readonly tags: ReadonlySet<string>; readonly emails: ReadonlySet<string> }
>();

function namesOf(topology: Topology): {
  readonly tags: ReadonlySet<string>;
  readonly emails: ReadonlySet<string>;
} {
  let found = names.get(topology);
  if (found === undefined) {
    found = {
      tags: new Set(Object.values(topology.nodes).flatMap((node) => node.tags)),
      emails: new Set(topology.users.map((user) => user.email)),
    };
    names.set(topology, found);
  }
  return found;
}
