import { performance } from 'node:perf_hooks';
import {
  TailnetModel,
  canConnect,
  compileTailnet,
  type PolicyDocument,
  type TailnetRequirements,
  type Topology,
  type TopologyNode,
} from '@tailkube/core/internal';
import type { BenchCase } from '../bench';

/** `count` requirements such as proxies, routers and services register: tags, grants, routes. */
function requirements(count: number): TailnetRequirements[] {
  const reqs: TailnetRequirements[] = [
    {
      source: "TailscaleOperator 'operator'",
      operator: { tags: ['tag:k8s-operator'], namespace: 'tailscale', credentials: { kind: 'oauth-client' } },
      proxyTags: ['tag:k8s'],
      claims: [{ kind: 'hostname', field: 'hostname', hostname: 'tailscale-operator' }],
      oauthScopes: ['auth_keys', 'devices:core'],
    },
  ];
  for (let i = 1; i < count; i++) {
    const tag = `tag:svc-${i}`;
    reqs.push({
      source: `Service 'apps/svc-${i}'`,
      proxyTags: [tag],
      claims: [{ kind: 'hostname', field: 'hostname', hostname: `svc-${i}` }],
      grants: [{ src: ['autogroup:member'], dst: [tag], ip: ['tcp:443'] }],
      autoApprovers: { routes: { [`10.${(i >> 8) & 255}.${i & 255}.0/24`]: [tag] } },
      intendedAccess: [{ src: 'autogroup:member', dst: tag, port: 443, expect: 'allow' }],
    });
  }
  return reqs;
}

function renderPolicy(reqs: readonly TailnetRequirements[]): number {
  const model = new TailnetModel("Tailnet 'bench'");
  for (const req of reqs) model.register(req);
  return model.seal().text.length;
}

/** Tags and groups the synthetic tailnet spreads its devices and grants over. */
const TAGS = 100;
const GROUPS = 50;
const USERS = 500;
/** Grants in the synthetic policy, whatever the number of devices (the 1,000). */
const GRANTS = 1000;

function address(family: 4 | 6, index: number): string {
  const host = index + 1;
  return family === 4
    ? `100.${64 + ((host >> 16) & 63)}.${(host >> 8) & 255}.${host & 255}`
    : `fd7a:115c:a1e0::${host.toString(16)}`;
}

/**
 * A tailnet of `devices` devices, half owned by users and half tagged (every tenth tagged device
 * a subnet router), under a policy of {@link GRANTS} grants from groups, users and tags to tags,
 * hosts and routes.
 */
function tailnet(devices: number): { readonly policy: PolicyDocument; readonly topology: Topology } {
  const users = Array.from({ length: USERS }, (_, i) => ({
    id: i + 1,
    name: `user${i}`,
    email: `user${i}@example.com`,
  }));
  const nodes: Record<string, TopologyNode> = {};
  for (let i = 0; i < devices; i++) {
    const tagged = i % 2 === 1;
    nodes[`node-${i}`] = {
      hostname: `node-${i}`,
      tags: tagged ? [`tag:t${i % TAGS}`] : [],
      ...(!tagged && { user: `user${i % USERS}` }),
      ipv4: address(4, i),
      ipv6: address(6, i),
      routable_ips: tagged && i % 20 === 1 ? [`10.${(i >> 8) & 255}.${i & 255}.0/24`] : [],
    };
  }
  const groups: Record<string, string[]> = {};
  for (let g = 0; g < GROUPS; g++) {
    groups[`group:g${g}`] = Array.from({ length: 10 }, (_, k) => `user${(g * 10 + k) % USERS}@example.com`);
  }
  const tagOwners: Record<string, string[]> = {};
  for (let t = 0; t < TAGS; t++) tagOwners[`tag:t${t}`] = ['group:g0'];
  const hosts: Record<string, string> = {};
  for (let h = 0; h < 20; h++) hosts[`host${h}`] = `192.168.${h}.10`;
  const sources = (i: number): string =>
    i % 3 === 0 ? `group:g${i % GROUPS}` : i % 3 === 1 ? `user${i % USERS}@example.com` : `tag:t${i % TAGS}`;
  const destinations = (i: number): string =>
    i % 5 === 0 ? `host${i % 20}` : i % 7 === 0 ? `10.${i & 255}.0.0/16` : `tag:t${(i * 7) % TAGS}`;
  const grants = Array.from({ length: GRANTS }, (_, i) => ({
    src: [sources(i)],
    dst: [destinations(i)],
    ip: [i % 4 === 0 ? '*' : `tcp:${1000 + (i % 100)}`],
  }));
  return {
    policy: {
      groups,
      hosts,
      tagOwners,
      grants,
      autoApprovers: { routes: { '10.0.0.0/8': ['tag:t1', 'tag:t21', 'tag:t41', 'tag:t61', 'tag:t81'] } },
    },
    topology: { users, nodes },
  };
}

/** The can-connect questions of one run: principals to tags, hosts and route addresses. */
function queries(count: number): { from: string; to: string; port: number }[] {
  return Array.from({ length: count }, (_, i) => ({
    from: i % 2 === 0 ? `group:g${i % GROUPS}` : `user${i % USERS}@example.com`,
    to: i % 3 === 0 ? `host${i % 20}` : `tag:t${i % TAGS}`,
    port: 1000 + (i % 120),
  }));
}

const QUERY_DEVICES = 1000;

export const cases: BenchCase[] = [
  {
    name: 'policy:render',
    prepare: (n) => {
      const reqs = requirements(n);
      return { n, run: () => renderPolicy(reqs) };
    },
  },
  {
    // Every device's packet filter, for 1,000 grants: n is the number of devices.
    name: 'policy:compile',
    prepare: (n) => {
      const { policy, topology } = tailnet(n);
      return { n, run: () => Object.keys(compileTailnet(policy, topology).perNode).length };
    },
  },
  {
    // n questions on a compiled 1,000-device, 1,000-grant tailnet (compiled once, then cached).
    name: 'policy:can-connect',
    prepare: (n) => {
      const { policy, topology } = tailnet(QUERY_DEVICES);
      const asked = queries(n);
      canConnect(policy, topology, asked[0]!);
      return { n, run: () => asked.filter((query) => canConnect(policy, topology, query).allowed).length };
    },
    notes: () => {
      const { policy, topology } = tailnet(QUERY_DEVICES);
      const asked = queries(10000);
      canConnect(policy, topology, asked[0]!);
      const start = performance.now();
      for (const query of asked) canConnect(policy, topology, query);
      const seconds = (performance.now() - start) / 1000;
      return [
        `policy:can-connect: ${Math.round(asked.length / seconds)} queries/s on ${QUERY_DEVICES} devices and ${GRANTS} grants (compiled once)`,
      ];
    },
  },
];
