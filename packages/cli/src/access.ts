import {
  canConnect,
  capabilitiesAt,
  parseIpSpec,
  type PolicyDocument,
  type Topology,
} from '@tailkube/policy';
import { canonical, compareStrings, splitDestination } from '@tailkube/policy/internal';
import type { OwnedEntry } from './owned-entries';
import { representativeOf } from './topology';

/** What one principal may do at one destination. */
export interface AccessEntry {
  /** The source as the policy names it: `group:eng`, `tag:k8s`, `autogroup:member`, a user. */
  readonly src: string;
  /** The destination as the policy names it. */
  readonly dst: string;
  /** Port specs (`tcp:443`, `*`) the policy's rules name for the pair that it allows. */
  readonly ports: readonly string[];
  /** Application capabilities granted, by name, with their values. */
  readonly capabilities: Readonly<Record<string, readonly unknown[] | null>>;
  /** The constructs whose rules (marked `// tailkube:`) name the pair; none for hand-written rules. */
  readonly constructs: readonly string[];
}

/** A (source, destination, port or capability) whose answer differs between two policies. */
export interface AccessChange {
  readonly src: string;
  readonly dst: string;
  /** A port spec such as `tcp:443`, or a capability name such as `tailscale.com/cap/kubernetes`. */
  readonly what: string;
  readonly kind: 'port' | 'capability';
  /** `allowed`: the program allows what the live policy does not; `denied`: the reverse. */
  readonly change: 'allowed' | 'denied' | 'changed';
}

/** The questions a policy's rules raise: each source, destination and port spec they name. */
interface Probes {
  /** `src \0 dst` → port specs. */
  readonly ports: Map<string, Set<string>>;
  /** `src \0 dst` pairs with an `app` grant. */
  readonly capabilities: Set<string>;
}

const SEP = '\u0000';

function probesOf(policies: readonly PolicyDocument[]): Probes {
  const probes: Probes = { ports: new Map(), capabilities: new Set() };
  const addPort = (src: string, dst: string, spec: string): void => {
    const key = `${src}${SEP}${dst}`;
    const specs = probes.ports.get(key) ?? new Set<string>();
    specs.add(spec);
    probes.ports.set(key, specs);
  };
  for (const policy of policies) {
    // Without `acls` or `grants`, the control plane allows all traffic: ask about all of it.
    if (policy.acls === undefined && policy.grants === undefined) addPort('*', '*', '*');
    for (const rule of policy.acls ?? []) {
      for (const src of rule.src) {
        for (const dst of rule.dst) {
          const split = splitDestination(dst);
          if (split === undefined) continue;
          addPort(src, split.selector, rule.proto ? `${rule.proto}:${split.ports}` : split.ports);
        }
      }
    }
    for (const grant of policy.grants ?? []) {
      for (const src of grant.src) {
        for (const dst of grant.dst) {
          for (const spec of grant.ip ?? []) addPort(src, dst, spec);
          if (grant.app !== undefined) probes.capabilities.add(`${src}${SEP}${dst}`);
        }
      }
    }
  }
  return probes;
}

/**
 * The port a spec is probed at: its first port (0 for `*`, which only an all-ports rule admits),
 * over TCP when the spec admits it, else UDP. Specs of portless protocols are not probed.
 */
function probePort(spec: string): { readonly proto: string; readonly port: number } | undefined {
  const parsed = parseIpSpec(spec);
  if (!parsed.ok) return undefined;
  const proto = parsed.value.protocols.includes(6)
    ? 'tcp'
    : parsed.value.protocols.includes(17)
      ? 'udp'
      : undefined;
  const first = parsed.value.ports[0];
  return proto === undefined || first === undefined ? undefined : { proto, port: first.First };
}

function allows(policy: PolicyDocument, topology: Topology, src: string, dst: string, spec: string): boolean {
  const probe = probePort(spec);
  if (probe === undefined) return false;
  try {
    return canConnect(policy, topology, {
      from: representativeOf(src, topology),
      to: dst,
      port: probe.port,
      proto: probe.proto,
    }).allowed;
  } catch {
    // A selector this topology cannot resolve grants nothing here.
    return false;
  }
}

function capabilities(
  policy: PolicyDocument,
  topology: Topology,
  src: string,
  dst: string,
): Readonly<Record<string, readonly unknown[] | null>> {
  try {
    return capabilitiesAt(policy, topology, { from: representativeOf(src, topology), to: dst }).capabilities;
  } catch {
    return {};
  }
}

function pairs(probes: Probes): readonly (readonly [string, string])[] {
  const keys = new Set([...probes.ports.keys(), ...probes.capabilities]);
  return [...keys].sort(compareStrings).map((key) => key.split(SEP) as [string, string]);
}

/**
 * Who can reach what under `policy`: for each source and destination its rules name, the port
 * specs it allows (each probed at its first port) and the capabilities it grants, evaluated
 * offline on `topology`. Pairs with neither are left out.
 */
export function accessMatrix(
  policy: PolicyDocument,
  topology: Topology,
  owned: readonly OwnedEntry[] = [],
): readonly AccessEntry[] {
  const probes = probesOf([policy]);
  const constructs = constructsByPair(policy, owned);
  const entries: AccessEntry[] = [];
  for (const [src, dst] of pairs(probes)) {
    const specs = [...(probes.ports.get(`${src}${SEP}${dst}`) ?? [])].sort(compareStrings);
    const ports = specs.filter((spec) => allows(policy, topology, src, dst, spec));
    const caps = probes.capabilities.has(`${src}${SEP}${dst}`)
      ? capabilities(policy, topology, src, dst)
      : {};
    if (ports.length === 0 && Object.keys(caps).length === 0) continue;
    const by = [...(constructs.get(`${src}${SEP}${dst}`) ?? [])].sort(compareStrings);
    entries.push({ src, dst, ports, capabilities: caps, constructs: by });
  }
  return entries;
}

/** `src \0 dst` → the constructs whose `acls` or `grants` entries name the pair. */
function constructsByPair(policy: PolicyDocument, owned: readonly OwnedEntry[]): Map<string, Set<string>> {
  const pairs = new Map<string, Set<string>>();
  for (const { path, sources } of owned) {
    const [section, index] = path;
    const rule = section === 'grants' || section === 'acls' ? policy[section]?.[Number(index)] : undefined;
    for (const src of rule?.src ?? []) {
      for (const dst of rule?.dst ?? []) {
        const selector = section === 'acls' ? (splitDestination(dst)?.selector ?? dst) : dst;
        const key = `${src}${SEP}${selector}`;
        let constructs = pairs.get(key);
        if (constructs === undefined) pairs.set(key, (constructs = new Set()));
        for (const source of sources) constructs.add(source);
      }
    }
  }
  return pairs;
}

/**
 * What changes if `program` replaces `live`: every (source, destination, port spec) and
 * (source, destination, capability) either policy's rules name, evaluated under both on the same
 * `topology`, where the answers differ.
 */
export function diffAccess(
  live: PolicyDocument,
  program: PolicyDocument,
  topology: Topology,
): readonly AccessChange[] {
  const probes = probesOf([live, program]);
  const changes: AccessChange[] = [];
  for (const [src, dst] of pairs(probes)) {
    const specs = [...(probes.ports.get(`${src}${SEP}${dst}`) ?? [])].sort(compareStrings);
    for (const spec of specs) {
      const before = allows(live, topology, src, dst, spec);
      const after = allows(program, topology, src, dst, spec);
      if (before !== after)
        changes.push({ src, dst, what: spec, kind: 'port', change: after ? 'allowed' : 'denied' });
    }
    if (!probes.capabilities.has(`${src}${SEP}${dst}`)) continue;
    const before = capabilities(live, topology, src, dst);
    const after = capabilities(program, topology, src, dst);
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareStrings);
    for (const name of names) {
      const had = before[name];
      const has = after[name];
      if (canonical(had) === canonical(has)) continue;
      const change = had === undefined ? 'allowed' : has === undefined ? 'denied' : 'changed';
      changes.push({ src, dst, what: name, kind: 'capability', change });
    }
  }
  return changes;
}
