import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PolicyDocument } from '../../src/document';
import { covers, isExitRoute, middleOf, parseRange, type AddressRange } from '../../src/engine/addresses';
import { compareStrings } from '../../src/order';
import type { Topology, TopologyNode, TopologyUserRole } from '../../src/engine/topology';
import type { FilterMatch } from '../../src/engine/compile';

/** Where the recorded control-plane captures live (outside the project; read at run time, never copied). */
export const CAPTURES_DIR = path.resolve(
  __dirname,
  '../../../../../shared/reference/tailscale-policy-captures',
);

/** The capture files. */
export const CAPTURE_FILES = ['acl', 'grant', 'routes', 'nodeattrs', 'policytest'] as const;

/** One recorded case. */
export interface CaptureCase {
  readonly id: string;
  readonly policy: PolicyDocument;
  readonly response: { readonly code: number; readonly message: string | null };
  readonly topology: Topology & {
    readonly nodes: Readonly<Record<string, TopologyNode & { readonly approved_routes?: readonly string[] }>>;
  };
  readonly filters?: Readonly<Record<string, readonly FilterMatch[] | null>>;
  readonly netmaps?: Readonly<
    Record<
      string,
      {
        readonly self_caps: Readonly<Record<string, unknown>>;
        readonly peers: Readonly<Record<string, readonly string[]>>;
        readonly ssh_policy?: unknown;
      }
    >
  >;
}

/** Reads one capture file. */
export function loadCaptures(file: string): readonly CaptureCase[] {
  const text = fs.readFileSync(path.join(CAPTURES_DIR, `${file}.json`), 'utf8');
  return (JSON.parse(text) as { cases: CaptureCase[] }).cases;
}

/** The self capabilities by which the control plane reports a user's role on the user's devices. */
const ROLE_CAPS: Readonly<Record<string, TopologyUserRole>> = {
  'https://tailscale.com/cap/is-owner': 'owner',
  'https://tailscale.com/cap/is-admin': 'admin',
};

/**
 * A user's roles, read from the recorded netmaps of the user's untagged devices. The captures do not
 * record roles as an input, but the control plane reports them on those devices as self capabilities;
 * reading them here takes a recorded input, not the compared aspect (the `nodeAttrs` comparison
 * leaves these capabilities out, see {@link ALWAYS_PRESENT_CAPS}). `undefined` when nothing is reported.
 */
function recordedRoles(capture: CaptureCase, user: string): TopologyUserRole[] | undefined {
  const roles = new Set<TopologyUserRole>();
  for (const [name, node] of Object.entries(capture.topology.nodes)) {
    if (node.user !== user || (node.tags ?? []).length > 0) continue;
    for (const cap of Object.keys(capture.netmaps?.[name]?.self_caps ?? {})) {
      const role = ROLE_CAPS[cap];
      if (role !== undefined) roles.add(role);
    }
  }
  return roles.size === 0 ? undefined : [...roles].sort(compareStrings);
}

/**
 * The topology as an input: `approved_routes` is an outcome, so it is left out; the users' roles
 * are read from the netmaps ({@link recordedRoles}).
 */
export function inputTopology(capture: CaptureCase): Topology {
  const nodes: Record<string, TopologyNode> = {};
  for (const [name, node] of Object.entries(capture.topology.nodes)) {
    nodes[name] = {
      hostname: node.hostname,
      tags: node.tags ?? [],
      ipv4: node.ipv4,
      ipv6: node.ipv6,
      ...(node.user === undefined ? {} : { user: node.user }),
      routable_ips: node.routable_ips ?? [],
    };
  }
  const users = capture.topology.users.map((user) => {
    const roles = recordedRoles(capture, user.name);
    return roles === undefined ? user : { ...user, roles };
  });
  return { ...capture.topology, users, nodes };
}

/**
 * The registration orders a capture leaves open. The captures' JSON objects are key-sorted, so the
 * order in which the devices registered is not recorded, yet it decides which device is the primary
 * router of a subnet route several devices serve (see `Topology.nodes`). It is therefore a free input:
 * this returns the topology once per order of the competing routers (the devices sharing an approved
 * subnet route with another), each order placing them in the slots they hold in the key order, the
 * key order first. A topology without a shared route has just that one order.
 */
export function registrationOrders(
  topology: Topology,
  approvedRoutes: Readonly<Record<string, readonly string[]>>,
): Topology[] {
  const servers = new Map<string, string[]>();
  for (const [name, routes] of Object.entries(approvedRoutes)) {
    for (const route of routes.filter((text) => !isExitRoute(text)))
      servers.set(route, [...(servers.get(route) ?? []), name]);
  }
  const competing = new Set([...servers.values()].filter((names) => names.length > 1).flat());
  const names = Object.keys(topology.nodes);
  const slots = names.filter((name) => competing.has(name));
  return permutations(slots).map((order) => {
    const next = [...order];
    const nodes: Record<string, TopologyNode> = {};
    for (const name of names) {
      const placed = competing.has(name) ? next.shift() : name;
      const node = placed === undefined ? undefined : topology.nodes[placed];
      if (placed !== undefined && node !== undefined) nodes[placed] = node;
    }
    return { ...topology, nodes };
  });
}

function permutations(items: readonly string[]): string[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Self capabilities every device holds whatever `nodeAttrs` say (user roles, tailnet settings, defaults). */
export const ALWAYS_PRESENT_CAPS: ReadonlySet<string> = new Set([
  'https://tailscale.com/cap/file-sharing',
  'https://tailscale.com/cap/ssh',
  'https://tailscale.com/cap/tailnet-lock',
  'https://tailscale.com/cap/is-owner',
  'https://tailscale.com/cap/is-admin',
  'probe-udp-lifetime',
  'ssh-behavior-v1',
  'ssh-env-vars',
  'store-appc-routes',
  'tailnet-display-name',
  'default-auto-update',
]);

const single = (range: AddressRange): AddressRange => middleOf(range);

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      collectStrings(item, out);
    }
  }
}

/** Probe addresses: every device address, an address inside every route, host alias and prefix the policy names. */
export function probeAddresses(capture: CaptureCase): AddressRange[] {
  const texts: string[] = [];
  for (const node of Object.values(capture.topology.nodes))
    texts.push(node.ipv4, node.ipv6, ...(node.routable_ips ?? []));
  collectStrings(capture.policy, texts);
  const probes = new Map<string, AddressRange>();
  for (const text of texts) {
    for (const candidate of [text, text.replace(/:[^:]*$/, ''), text.replace(/^\[(.*)\]:.*$/, '$1')]) {
      const range = parseRange(candidate);
      if (range === undefined) continue;
      for (const probe of [single(range), { family: range.family, first: range.first, last: range.first }]) {
        probes.set(`${probe.family}:${probe.first}`, probe);
      }
    }
  }
  for (const extra of ['8.8.8.8', '2001:4860::8888', '100.64.0.99', '100.115.92.5']) {
    const range = parseRange(extra);
    if (range !== undefined) probes.set(`${range.family}:${range.first}`, range);
  }
  return [...probes.values()];
}

/** Probe ports: 0, 65535, and every number in the policy that could be a port, with its neighbours. */
export function probePorts(capture: CaptureCase): number[] {
  const texts: string[] = [];
  collectStrings(capture.policy, texts);
  const ports = new Set<number>([0, 1, 65534, 65535]);
  for (const text of texts) {
    for (const match of text.matchAll(/(?:^|[:,-])(\d{1,5})(?=$|[,-])/g)) {
      const port = Number(match[1]);
      if (port <= 65535)
        for (const value of [port - 1, port, port + 1]) if (value >= 0 && value <= 65535) ports.add(value);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

interface ParsedMatch {
  readonly protos: readonly number[];
  readonly srcs: readonly AddressRange[];
  readonly dsts: readonly { readonly range: AddressRange; readonly first: number; readonly last: number }[];
  readonly caps: readonly { readonly range: AddressRange; readonly key: string }[];
}

function parseNet(text: string): AddressRange[] {
  if (text === '*') return ['0.0.0.0/0', '::/0'].map(parseRange).filter((range) => range !== undefined);
  const range = parseRange(text);
  return range === undefined ? [] : [range];
}

function parseMatches(matches: readonly FilterMatch[] | null | undefined): ParsedMatch[] {
  return (matches ?? []).map((match) => ({
    protos: match.protos ?? [],
    srcs: match.srcs.flatMap(parseNet),
    dsts: (match.dsts ?? []).flatMap((dst) =>
      parseNet(dst.net).map((range) => ({ range, first: dst.ports.First, last: dst.ports.Last })),
    ),
    caps: (match.caps ?? []).flatMap((cap) =>
      parseNet(cap.dst).map((range) => ({ range, key: `${cap.cap}=${JSON.stringify(cap.values)}` })),
    ),
  }));
}

/**
 * What a device's filter admits over the probes: `src|dst|proto|port` for packets and
 * `src|dst|cap=values` for capabilities. Only destinations the device receives are probed.
 */
export function admittedSet(
  matches: readonly FilterMatch[] | null | undefined,
  srcProbes: readonly AddressRange[],
  dstProbes: readonly AddressRange[],
  ports: readonly number[],
): Set<string> {
  const out = new Set<string>();
  for (const match of parseMatches(matches)) {
    const protos = match.protos.length === 0 ? [6, 17, 1, 58] : match.protos;
    const srcs = srcProbes
      .map((probe, index) => [probe, index] as const)
      .filter(([probe]) => match.srcs.some((range) => covers(range, probe)));
    if (srcs.length === 0) continue;
    dstProbes.forEach((probe, d) => {
      for (const dst of match.dsts) {
        if (!covers(dst.range, probe)) continue;
        for (const [, s] of srcs) {
          for (const proto of protos) {
            const ported = proto === 6 || proto === 17 || proto === 132;
            for (const port of ported ? ports : [0]) {
              if (ported ? dst.first <= port && port <= dst.last : true)
                out.add(`${s}|${d}|${proto}|${port}`);
            }
          }
        }
      }
      for (const cap of match.caps) {
        if (!covers(cap.range, probe)) continue;
        for (const [, s] of srcs) out.add(`${s}|${d}|${cap.key}`);
      }
    });
  }
  return out;
}

/** The probes a device receives traffic for: its addresses and those inside the routes it serves. */
export function deliverable(
  probes: readonly AddressRange[],
  node: TopologyNode & { readonly approved_routes?: readonly string[] },
): AddressRange[] {
  const own = [node.ipv4, node.ipv6, ...(node.approved_routes ?? [])]
    .map(parseRange)
    .filter((range) => range !== undefined);
  return probes.filter((probe) => own.some((range) => covers(range, probe)));
}

/** The symmetric difference of two sets, at most `limit` entries. */
export function difference(a: ReadonlySet<string>, b: ReadonlySet<string>, limit = 3): string[] {
  const out: string[] = [];
  for (const key of a) if (!b.has(key) && out.length < limit) out.push(`+${key}`);
  for (const key of b) if (!a.has(key) && out.length < 2 * limit) out.push(`-${key}`);
  return out;
}
