import type { PolicyDocument } from '../../src/document';
import { simulateTailnet } from '../../src/engine/simulate';
import type { Topology } from '../../src/engine/topology';

const TOPOLOGY: Topology = {
  users: [{ id: 1, name: 'alice', email: 'alice@example.com' }],
  nodes: {
    laptop: {
      hostname: 'laptop',
      tags: [],
      user: 'alice',
      ipv4: '100.64.0.1',
      ipv6: 'fd7a:115c:a1e0::1',
      routable_ips: [],
    },
    router: {
      hostname: 'router',
      tags: ['tag:router'],
      ipv4: '100.64.0.2',
      ipv6: 'fd7a:115c:a1e0::2',
      routable_ips: ['10.33.0.0/16', '0.0.0.0/0', '::/0'],
    },
    web: {
      hostname: 'web',
      tags: ['tag:web'],
      ipv4: '100.64.0.3',
      ipv6: 'fd7a:115c:a1e0::3',
      routable_ips: [],
    },
  },
};

const POLICY: PolicyDocument = {
  tagOwners: { 'tag:router': ['alice@example.com'], 'tag:web': ['alice@example.com'] },
  acls: [
    { action: 'accept', src: ['alice@example.com'], dst: ['10.0.0.0/8:22', 'tag:web:443'] },
    { action: 'accept', src: ['alice@example.com'], dst: ['autogroup:internet:*'] },
  ],
  autoApprovers: { routes: { '10.0.0.0/8': ['tag:router'], '0.0.0.0/0': ['tag:router'] }, exitNode: [] },
  nodeAttrs: [{ target: ['tag:web'], attr: ['funnel'] }],
};

describe('simulateTailnet', () => {
  const simulation = simulateTailnet(POLICY, TOPOLOGY);

  it('accepts a valid policy', () => {
    expect(simulation.accepted).toBe(true);
    expect(simulation.errors).toEqual([]);
  });

  it('approves subnet routes inside an autoApprovers prefix, and exit routes only through exitNode', () => {
    expect(simulation.approvedRoutes).toEqual({ laptop: [], router: ['10.33.0.0/16'], web: [] });
  });

  it('keeps a destination on the router that serves part of it, as written', () => {
    expect(simulation.filters['router']).toEqual([
      {
        protos: [6, 17, 1, 58],
        srcs: ['100.64.0.1/32', 'fd7a:115c:a1e0::1/128'],
        dsts: [{ net: '10.0.0.0/8', ports: { First: 22, Last: 22 } }],
        caps: [],
      },
    ]);
  });

  it('gives a device only the destinations that hold its addresses', () => {
    expect(simulation.filters['web']?.map((match) => match.dsts)).toEqual([
      [
        { net: '100.64.0.3/32', ports: { First: 443, Last: 443 } },
        { net: 'fd7a:115c:a1e0::3/128', ports: { First: 443, Last: 443 } },
      ],
    ]);
    expect(simulation.filters['laptop']).toEqual([]);
  });

  it('gives funnel with its companion capabilities to the targeted device only', () => {
    expect(Object.keys(simulation.nodeAttrs['web'] ?? {})).toEqual([
      'funnel',
      'https://tailscale.com/cap/funnel-ports?ports=443,8443,10000',
      'https://tailscale.com/cap/warn-funnel-no-https',
    ]);
    expect(simulation.nodeAttrs['laptop']).toEqual({});
  });

  it('lets peers see each other when either may reach the other, with the routes they may use', () => {
    expect(simulation.peers['laptop']).toEqual({
      router: ['10.33.0.0/16', '100.64.0.2/32', 'fd7a:115c:a1e0::2/128'],
      web: ['100.64.0.3/32', 'fd7a:115c:a1e0::3/128'],
    });
    expect(simulation.peers['web']).toEqual({ laptop: ['100.64.0.1/32', 'fd7a:115c:a1e0::1/128'] });
  });

  it('fails when the policy would be rejected, with empty outcomes', () => {
    expect(
      simulateTailnet({ acls: [{ action: 'accept', src: ['tag:nope'], dst: ['*:*'] }] }, TOPOLOGY),
    ).toEqual({
      accepted: false,
      errors: [{ path: 'acls[0].src[0]', message: 'src=tag not found: "tag:nope"' }],
      filters: {},
      nodeAttrs: {},
      approvedRoutes: {},
      approvedServices: {},
      peers: {},
      sshPolicies: {},
    });
  });
});
