import {
  canConnect,
  capabilitiesAt,
  compileTailnet,
  validatePolicy,
  type PolicyDocument,
  type Topology,
  type TopologyNode,
} from '@tailkube/policy';
import { GROWTH_GOAL, measure, row, type BenchCase, type BenchContext, type BenchRow } from '../bench';

/** A synthetic tailnet's shape. */
interface Shape {
  readonly devices: number;
  readonly grants: number;
  /** Tags the tagged half of the devices is spread over. */
  readonly tags: number;
  /** Users the other half is spread over. */
  readonly users: number;
}

const GROUPS = 50;
const HOSTS = 20;
/** Compile goal of the issue, CPU milliseconds. */
const COMPILE_GOAL_MS = 2000;
/** `canConnect` goal of the issue, answers per CPU second. */
const QUERIES_GOAL = 100_000;

function address(family: 4 | 6, index: number): string {
  const host = index + 1;
  return family === 4
    ? `100.${64 + ((host >> 16) & 63)}.${(host >> 8) & 255}.${host & 255}`
    : `fd7a:115c:a1e0::${host.toString(16)}`;
}

/**
 * A tailnet of `devices` devices, half owned by users and half tagged (every tenth tagged device a
 * subnet router), under `grants` grants from groups, users and tags to tags, hosts and routes.
 */
export function tailnet(shape: Shape): { readonly policy: PolicyDocument; readonly topology: Topology } {
  const { devices, grants, tags, users } = shape;
  const userList = Array.from({ length: users }, (_, i) => ({
    id: i + 1,
    name: `user${i}`,
    email: `user${i}@example.com`,
  }));
  const nodes: Record<string, TopologyNode> = {};
  for (let i = 0; i < devices; i++) {
    const tagged = i % 2 === 1;
    nodes[`node-${i}`] = {
      hostname: `node-${i}`,
      tags: tagged ? [`tag:t${(i >> 1) % tags}`] : [],
      ...(!tagged && { user: `user${(i >> 1) % users}` }),
      ipv4: address(4, i),
      ipv6: address(6, i),
      routable_ips: tagged && i % 20 === 1 ? [`10.${(i >> 8) & 255}.${i & 255}.0/24`] : [],
    };
  }
  const groups: Record<string, string[]> = {};
  for (let g = 0; g < GROUPS; g++) {
    groups[`group:g${g}`] = Array.from({ length: 10 }, (_, k) => `user${(g * 10 + k) % users}@example.com`);
  }
  const tagOwners: Record<string, string[]> = {};
  for (let t = 0; t < tags; t++) tagOwners[`tag:t${t}`] = ['group:g0'];
  const hosts: Record<string, string> = {};
  for (let h = 0; h < HOSTS; h++) hosts[`host${h}`] = `192.168.${h}.10`;
  const source = (i: number): string =>
    i % 3 === 0 ? `group:g${i % GROUPS}` : i % 3 === 1 ? `user${i % users}@example.com` : `tag:t${i % tags}`;
  const destination = (i: number): string =>
    i % 5 === 0 ? `host${i % HOSTS}` : i % 7 === 0 ? `10.${i & 255}.0.0/16` : `tag:t${(i * 7) % tags}`;
  return {
    policy: {
      groups,
      hosts,
      tagOwners,
      grants: Array.from({ length: grants }, (_, i) => ({
        src: [source(i)],
        dst: [destination(i)],
        ip: [i % 4 === 0 ? '*' : `tcp:${1000 + (i % 100)}`],
      })),
      autoApprovers: { routes: { '10.0.0.0/8': ['tag:t0', 'tag:t10', 'tag:t20', 'tag:t30', 'tag:t40'] } },
    },
    topology: { users: userList, nodes },
  };
}

/**
 * The operator's default shape: `devices` proxies all on `tag:k8s`, and `grants` grants to it, each
 * from its own user (with one device) on its own port.
 */
export function oneTag(devices: number, grants: number): { policy: PolicyDocument; topology: Topology } {
  const nodes: Record<string, TopologyNode> = {};
  for (let i = 0; i < devices; i++) {
    nodes[`proxy-${i}`] = {
      hostname: `proxy-${i}`,
      tags: ['tag:k8s'],
      ipv4: address(4, i),
      ipv6: address(6, i),
      routable_ips: [],
    };
  }
  for (let i = 0; i < grants; i++) {
    nodes[`laptop-${i}`] = {
      hostname: `laptop-${i}`,
      tags: [],
      user: `user${i}`,
      ipv4: address(4, devices + i),
      ipv6: address(6, devices + i),
      routable_ips: [],
    };
  }
  return {
    policy: {
      tagOwners: { 'tag:k8s': ['tag:k8s-operator'], 'tag:k8s-operator': [] },
      grants: Array.from({ length: grants }, (_, i) => ({
        src: [`user${i}@example.com`],
        dst: ['tag:k8s'],
        ip: [`tcp:${1000 + i}`],
      })),
    },
    topology: {
      users: Array.from({ length: grants }, (_, i) => ({
        id: i + 1,
        name: `user${i}`,
        email: `user${i}@example.com`,
      })),
      nodes,
    },
  };
}

/**
 * Connectors on the operator's default tag: `routes` subnet routes, each approved for `tag:k8s` by
 * its own `autoApprovers.routes` prefix, reached by a user, with no topology given (derived, as the
 * intended-access checks derive one: the tag's one device advertises every route).
 */
export function routesOnOneTag(routes: number): PolicyDocument {
  const prefixes: Record<string, string[]> = {};
  for (let i = 0; i < routes; i++)
    prefixes[`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`] = ['tag:k8s'];
  return {
    tagOwners: { 'tag:k8s': [] },
    grants: [{ src: ['alice@example.com'], dst: ['10.0.0.0/8'], ip: ['tcp:443'] }],
    autoApprovers: { routes: prefixes },
  };
}

/**
 * Policy `tests` as `policyTests` writes them: `n` tags with one device each, a grant from alice to
 * each, and a test per tag that she reaches it (and that its device does not reach her laptop).
 */
export function testedTags(n: number): { policy: PolicyDocument; topology: Topology } {
  const nodes: Record<string, TopologyNode> = {
    laptop: {
      hostname: 'laptop',
      tags: [],
      user: 'alice',
      ipv4: address(4, n),
      ipv6: address(6, n),
      routable_ips: [],
    },
  };
  const tagOwners: Record<string, string[]> = {};
  for (let i = 0; i < n; i++) {
    tagOwners[`tag:t${i}`] = [];
    nodes[`t${i}`] = {
      hostname: `t${i}`,
      tags: [`tag:t${i}`],
      ipv4: address(4, i),
      ipv6: address(6, i),
      routable_ips: [],
    };
  }
  const tags = Object.keys(tagOwners);
  return {
    policy: {
      tagOwners,
      grants: tags.map((tag) => ({ src: ['alice@example.com'], dst: [tag], ip: ['tcp:443'] })),
      tests: tags.map((tag) => ({ src: 'alice@example.com', accept: [`${tag}:443`] })),
    },
    topology: { users: [{ id: 1, name: 'alice', email: 'alice@example.com' }], nodes },
  };
}

/**
 * An API server proxy granted to `n` users one `grantAccess` at a time: `n` grants to its one tag,
 * each from its own user and with the Kubernetes capability.
 */
export function oneDestination(n: number): PolicyDocument {
  return {
    tagOwners: { 'tag:k8s-operator': [] },
    grants: Array.from({ length: n }, (_, i) => ({
      src: [`user${i}@example.com`],
      dst: ['tag:k8s-operator'],
      ip: ['tcp:443'],
      app: { 'tailscale.com/cap/kubernetes': [{ impersonate: { groups: [`team-${i}`] } }] },
    })),
  };
}

/** A group of `n` users granted one tag: a question from the group asks for every member's device. */
export function groupToTag(n: number): PolicyDocument {
  return {
    groups: { 'group:staff': Array.from({ length: n }, (_, i) => `user${i}@example.com`) },
    tagOwners: { 'tag:web': [] },
    grants: [{ src: ['group:staff'], dst: ['tag:web'], ip: ['tcp:443'] }],
  };
}

/** Every this-many-th device's filter is read after each compile. */
const FILTER_SAMPLE = 97;

/**
 * Compiles, then reads the filters of every {@link FILTER_SAMPLE}th device: filters are built
 * when read, so a compile that reads none would leave out the indexing every read needs.
 */
function compileAndRead(policy: PolicyDocument, topology: Topology): number {
  const { perNode } = compileTailnet(policy, topology);
  let matches = 0;
  Object.keys(perNode).forEach((name, i) => {
    if (i % FILTER_SAMPLE === 0) matches += perNode[name]!.length;
  });
  return matches;
}

/** Median CPU milliseconds of `compileTailnet` (and the sampled reads) on each tailnet, interleaved. */
async function compileMs(
  context: BenchContext,
  tailnets: Readonly<Record<string, { policy: PolicyDocument; topology: Topology }>>,
): Promise<Record<string, number>> {
  const sides = Object.fromEntries(
    Object.entries(tailnets).map(([name, { policy, topology }]) => [
      name,
      () => compileAndRead(policy, topology),
    ]),
  );
  // Compiles of the largest shapes take seconds each: three runs make the median.
  return { ...(await measure(sides, Math.min(context.repetitions, 3))) };
}

const k = (n: number): string => (n >= 1000 ? `${n / 1000}k` : String(n));

/**
 * A case of one row: how the work `prepare(n)` returns grows from 1k to 10k (100 to 1k with
 * `--quick`), against the growth goal. What `prepare` builds is not timed.
 */
function growthCase(
  name: string,
  what: string,
  how: string,
  prepare: (n: number) => () => unknown,
): BenchCase {
  return {
    name,
    run: async (context) => {
      const [small, large] = context.quick ? [100, 1000] : [1000, 10000];
      const medians = await measure({ small: prepare(small), large: prepare(large) }, context.repetitions);
      return [
        row(
          `${name} growth ${what} ${k(small)}→${k(large)} ${how}`,
          large,
          medians['large']! / medians['small']!,
          'growth',
          GROWTH_GOAL,
          medians,
        ),
      ];
    },
  };
}

export const cases: BenchCase[] = [
  {
    name: 'engine:compile',
    run: async (context) => {
      const [small, large] = context.quick ? [100, 1000] : [1000, 10000];
      const shape = (devices: number, grants: number): Shape => ({ devices, grants, tags: 100, users: 500 });
      const medians = await compileMs(context, {
        small: tailnet(shape(small, small)),
        devices: tailnet(shape(large, small)),
        both: tailnet(shape(large, large)),
      });
      const rows: BenchRow[] = [
        row(`engine:compile ${k(large)} devices × ${k(large)} grants`, large, medians['both']!, 'ms', {
          max: COMPILE_GOAL_MS,
        }),
        row(
          `engine:compile growth devices ${k(small)}→${k(large)} (× ${k(small)} grants)`,
          large,
          medians['devices']! / medians['small']!,
          'growth',
          GROWTH_GOAL,
          medians,
        ),
        row(
          `engine:compile growth grants ${k(small)}→${k(large)} (${k(large)} devices)`,
          large,
          medians['both']! / medians['devices']!,
          'growth',
          GROWTH_GOAL,
          medians,
        ),
      ];
      return rows;
    },
  },
  {
    name: 'engine:one-tag',
    run: async (context) => {
      const [small, large] = context.quick ? [1000, 1000] : [1000, 10000];
      const grants = context.quick ? 100 : 1000;
      const medians = await compileMs(context, {
        small: oneTag(small / 10, grants),
        large: oneTag(small === large ? small : large, grants),
      });
      return [
        row(
          `engine:one-tag compile ${k(large)} devices on tag:k8s × ${k(grants)} grants`,
          large,
          medians['large']!,
          'ms',
          {
            max: COMPILE_GOAL_MS,
          },
        ),
        row(
          `engine:one-tag growth devices ${k(large / 10)}→${k(large)}`,
          large,
          medians['large']! / medians['small']!,
          'growth',
          GROWTH_GOAL,
          medians,
        ),
      ];
    },
  },
  growthCase('engine:routes', 'routes on tag:k8s', '(derive, compile, one question)', (n) => {
    const policy = routesOnOneTag(n);
    // A fresh copy per run: the engine caches what it derives and compiles per policy object.
    return () =>
      canConnect({ ...policy }, undefined, { from: 'alice@example.com', to: '10.0.1.5', port: 443 }).allowed;
  }),
  growthCase('engine:tests', 'policy tests on their own tags', '(validatePolicy)', (n) => {
    const { policy, topology } = testedTags(n);
    return () => validatePolicy({ ...policy }, topology).ok;
  }),
  growthCase('engine:one-destination', 'grants to one tag', '(a question per grant)', (n) => {
    // Each user asks once, for access and for the capability, as the intended-access checks do.
    return () => {
      const policy = oneDestination(n);
      let granted = 0;
      for (let i = 0; i < n; i++) {
        const query = { from: `user${i}@example.com`, to: 'tag:k8s-operator' };
        if (canConnect(policy, undefined, { ...query, port: 443 }).allowed) granted++;
        granted += Object.keys(capabilitiesAt(policy, undefined, query).capabilities).length;
      }
      return granted;
    };
  }),
  growthCase(
    'engine:group',
    'members of one source group',
    '(derive, compile, one question)',
    // A new policy object per question: the engine would otherwise answer from what it cached.
    (n) => () =>
      canConnect(groupToTag(n), undefined, { from: 'group:staff', to: 'tag:web', port: 443 }).allowed,
  ),
  {
    name: 'engine:can-connect',
    run: async (context) => {
      const devices = context.quick ? 1000 : 10000;
      const grants = 1000;
      // One device per user and five per tag: each question is about a few devices, as an
      // intended-access check of one construct is.
      const { policy, topology } = tailnet({ devices, grants, tags: devices / 10, users: devices / 2 });
      const queries = Array.from({ length: 10000 }, (_, i) => ({
        from: i % 2 === 0 ? `user${(i * 7) % (devices / 2)}@example.com` : `tag:t${(i * 3) % (devices / 10)}`,
        to: i % 3 === 0 ? `host${i % HOSTS}` : `tag:t${(i * 7) % (devices / 10)}`,
        port: 1000 + (i % 120),
      }));
      // Compiled once on the first question, then cached for the policy and topology.
      canConnect(policy, topology, queries[0]!);
      const medians = await measure(
        { ask: () => queries.filter((query) => canConnect(policy, topology, query).allowed).length },
        context.repetitions,
      );
      return [
        row(
          `engine:can-connect ${k(devices)} devices × ${k(grants)} grants`,
          devices,
          (queries.length / medians['ask']!) * 1000,
          'queries/s',
          { min: QUERIES_GOAL },
          medians,
        ),
      ];
    },
  },
];
