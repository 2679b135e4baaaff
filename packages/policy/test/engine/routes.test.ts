import fc from 'fast-check';
import type { PolicyDocument } from '../../src/document';
import { covers, formatAddress, isExitRoute, parseRange } from '../../src/engine/addresses';
import { approveRoutes } from '../../src/engine/routes';
import type { Topology } from '../../src/engine/topology';
import { device } from '../../../../test/helpers/topology';

/** Who may approve a route, and the devices: one per tag, one of alice's. */
const APPROVERS = ['tag:a', 'tag:b', 'alice@example.com'] as const;

const TOPOLOGY_NODES = [
  { hostname: 'a', tags: ['tag:a'] },
  { hostname: 'b', tags: ['tag:b'] },
  { hostname: 'laptop', tags: [], user: 'alice' },
];

/** The rule, read off kb/1337 "autoApprovers": a route inside some prefix one of whose approvers the device is. */
function reference(policy: PolicyDocument, topology: Topology): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, node] of Object.entries(topology.nodes)) {
    const approves = (who: readonly string[]): boolean =>
      who.some((selector) => node.tags.includes(selector) || selector === `${node.user}@example.com`);
    result[name] = (node.routable_ips ?? [])
      .filter((route) => {
        if (isExitRoute(route)) return approves(policy.autoApprovers?.exitNode ?? []);
        const range = parseRange(route)!;
        return Object.entries(policy.autoApprovers?.routes ?? {}).some(
          ([prefix, who]) => covers(parseRange(prefix)!, range) && approves(who),
        );
      })
      .sort();
  }
  return result;
}

/** A prefix or route in a small space (so that they often hold each other): v4, v6 or a range. */
const prefix = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 16, max: 32 }))
    .map(([low, bits]) => `${formatAddress(4, 0x0a000000n + BigInt(low))}/${bits}`),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 112, max: 128 }))
    .map(([low, bits]) => `${formatAddress(6, (0xfd00n << 112n) + BigInt(low))}/${bits}`),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
    .map(([a, b]) => [0x0a000000n + BigInt(Math.min(a, b)), 0x0a000000n + BigInt(Math.max(a, b))])
    .map(([first, last]) => `${formatAddress(4, first!)}-${formatAddress(4, last!)}`),
);

describe('approveRoutes', () => {
  test('approves what some holding prefix approves, for any prefixes and routes', () => {
    fc.assert(
      fc.property(
        fc.dictionary(prefix, fc.subarray([...APPROVERS], { minLength: 1 }), { maxKeys: 12 }),
        fc.array(
          fc.array(
            fc.oneof(
              prefix.filter((p) => !p.includes('-')),
              fc.constant('0.0.0.0/0'),
            ),
          ),
          {
            minLength: 3,
            maxLength: 3,
          },
        ),
        fc.subarray([...APPROVERS]),
        (routes, advertised, exitNode) => {
          const topology: Topology = {
            users: [{ id: 1, name: 'alice', email: 'alice@example.com' }],
            nodes: Object.fromEntries(
              TOPOLOGY_NODES.map((node, i) => [
                node.hostname,
                device(node.hostname, i + 1, { ...node, routable_ips: [...new Set(advertised[i])] }),
              ]),
            ),
          };
          const policy: PolicyDocument = {
            tagOwners: { 'tag:a': [], 'tag:b': [] },
            autoApprovers: { routes, exitNode },
          };
          expect(approveRoutes(policy, topology)).toEqual(reference(policy, topology));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a route is approved through a wider prefix, a range, or not at all', () => {
    const topology: Topology = {
      users: [],
      nodes: {
        router: {
          hostname: 'router',
          tags: ['tag:a'],
          ipv4: '100.64.0.1',
          ipv6: 'fd7a:115c:a1e0::1',
          routable_ips: ['10.1.2.0/24', '10.9.0.0/16', '10.20.0.5/32', '10.30.0.6/31', '192.168.0.0/24'],
        },
      },
    };
    const policy: PolicyDocument = {
      tagOwners: { 'tag:a': [] },
      autoApprovers: {
        routes: {
          '10.0.0.0/8': ['tag:b'],
          '10.1.0.0/16': ['tag:a'],
          '10.20.0.0-10.20.0.9': ['tag:a'],
          '10.30.0.6/32': ['tag:a'],
        },
      },
    };
    // 10.9.0.0/16 lies inside 10.0.0.0/8 only, whose approver is another tag; 10.30.0.6/31 is wider
    // than the one address 10.30.0.6/32 approves.
    expect(approveRoutes(policy, topology)).toEqual({ router: ['10.1.2.0/24', '10.20.0.5/32'] });
  });
});
