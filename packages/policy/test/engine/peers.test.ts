import type { Grant, PolicyDocument } from '../../src/document';
import { simulateTailnet } from '../../src/engine/simulate';
import type { Topology, TopologyNode } from '../../src/engine/topology';

function device(index: number, tags: readonly string[], routes: readonly string[] = []): TopologyNode {
  return {
    hostname: `device-${index}`,
    tags,
    ipv4: `100.64.0.${index}`,
    ipv6: `fd7a:115c:a1e0::${index}`,
    routable_ips: routes,
  };
}

/** Two routers of 10.44.0.0/16 (also exit nodes), registered in the given order, and two clients. */
function tailnet(routers: readonly ['ha-1' | 'ha-2', 'ha-1' | 'ha-2']): Topology {
  const router = {
    'ha-1': device(1, ['tag:ha', 'tag:ha-1'], ['10.44.0.0/16', '0.0.0.0/0', '::/0']),
    'ha-2': device(2, ['tag:ha', 'tag:ha-2'], ['10.44.0.0/16', '0.0.0.0/0', '::/0']),
  };
  return {
    users: [],
    nodes: {
      [routers[0]]: router[routers[0]],
      'client-a': device(3, ['tag:a']),
      [routers[1]]: router[routers[1]],
      'client-b': device(4, ['tag:b']),
    },
  };
}

const TAGS = ['tag:ha', 'tag:ha-1', 'tag:ha-2', 'tag:a', 'tag:b'];

function policy(grants: readonly Grant[]): PolicyDocument {
  return {
    tagOwners: Object.fromEntries(TAGS.map((tag) => [tag, ['alice@example.com']])),
    autoApprovers: { routes: { '10.44.0.0/16': ['tag:ha'] }, exitNode: ['tag:ha'] },
    grants,
  };
}

/** The routes (not the addresses) `viewer` sends to each peer it sees. */
function routesSeen(
  simulation: ReturnType<typeof simulateTailnet>,
  viewer: string,
): Record<string, readonly string[]> {
  return Object.fromEntries(
    Object.entries(simulation.peers[viewer] ?? {}).map(([peer, addresses]) => [
      peer,
      addresses.filter((address) => !address.startsWith('100.64.') && !address.startsWith('fd7a:')),
    ]),
  );
}

describe('primary-route election', () => {
  const toRoute = policy([
    { src: ['tag:a', 'tag:b'], dst: ['10.44.0.0/16'], ip: ['*'] },
    { src: ['tag:a'], dst: ['tag:ha'], ip: ['*'] },
  ]);

  it('routes a shared subnet to the earliest-registered router only', () => {
    expect(routesSeen(simulateTailnet(toRoute, tailnet(['ha-1', 'ha-2'])), 'client-a')).toEqual({
      'ha-1': ['10.44.0.0/16'],
      'ha-2': [],
    });
    expect(routesSeen(simulateTailnet(toRoute, tailnet(['ha-2', 'ha-1'])), 'client-a')).toEqual({
      'ha-1': [],
      'ha-2': ['10.44.0.0/16'],
    });
  });

  it('keeps the standby enforcing the route in its filter', () => {
    const simulation = simulateTailnet(toRoute, tailnet(['ha-1', 'ha-2']));
    expect(simulation.approvedRoutes['ha-2']).toEqual(['0.0.0.0/0', '10.44.0.0/16', '::/0']);
    expect(
      simulation.filters['ha-2']?.some((match) => match.dsts.some((dst) => dst.net === '10.44.0.0/16')),
    ).toBe(true);
  });

  it('shows the standby router the primary’s route, whatever the rules', () => {
    const simulation = simulateTailnet(
      policy([{ src: ['tag:ha'], dst: ['tag:ha'], ip: ['*'] }]),
      tailnet(['ha-1', 'ha-2']),
    );
    expect(routesSeen(simulation, 'ha-2')).toEqual({ 'ha-1': ['10.44.0.0/16'] });
    expect(routesSeen(simulation, 'ha-1')).toEqual({ 'ha-2': [] });
  });

  it('elects no exit node: every approved exit node offers its exit routes', () => {
    const simulation = simulateTailnet(
      policy([{ src: ['tag:a'], dst: ['autogroup:internet'], ip: ['*'] }]),
      tailnet(['ha-1', 'ha-2']),
    );
    expect(routesSeen(simulation, 'client-a')).toEqual({
      'ha-1': ['0.0.0.0/0', '::/0'],
      'ha-2': ['0.0.0.0/0', '::/0'],
    });
  });
});

describe('via steering', () => {
  const steered = [
    { src: ['tag:a', 'tag:b', 'tag:ha'], dst: ['tag:a', 'tag:b', 'tag:ha'], ip: ['*'] },
    { src: ['tag:a'], dst: ['10.44.0.0/16'], ip: ['*'], via: ['tag:ha-2'] },
    { src: ['tag:b'], dst: ['10.44.0.0/16'], ip: ['*'], via: ['tag:ha-1'] },
  ];

  it('routes the subnet through the via router of each source, primary or not', () => {
    const simulation = simulateTailnet(policy(steered), tailnet(['ha-1', 'ha-2']));
    expect(routesSeen(simulation, 'client-a')).toMatchObject({ 'ha-1': [], 'ha-2': ['10.44.0.0/16'] });
    expect(routesSeen(simulation, 'client-b')).toMatchObject({ 'ha-1': ['10.44.0.0/16'], 'ha-2': [] });
  });

  it('leaves the route to the election when a plain rule covers it too', () => {
    const simulation = simulateTailnet(
      policy([...steered, { src: ['tag:a'], dst: ['10.44.0.0/16'], ip: ['*'] }]),
      tailnet(['ha-1', 'ha-2']),
    );
    expect(routesSeen(simulation, 'client-a')).toMatchObject({ 'ha-1': ['10.44.0.0/16'], 'ha-2': [] });
  });

  it('steers to the earliest-registered of several via routers', () => {
    const simulation = simulateTailnet(
      policy([{ src: ['tag:a'], dst: ['10.44.0.0/16'], ip: ['*'], via: ['tag:ha'] }]),
      tailnet(['ha-2', 'ha-1']),
    );
    expect(routesSeen(simulation, 'client-a')).toEqual({ 'ha-1': [], 'ha-2': ['10.44.0.0/16'] });
  });
});

describe('user roles', () => {
  const topology: Topology = {
    users: [
      { id: 1, name: 'alice', email: 'alice@example.com', roles: ['owner', 'admin'] },
      { id: 2, name: 'bob', email: 'bob@example.com', roles: ['network-admin'] },
      { id: 3, name: 'carol', email: 'carol@example.com' },
    ],
    nodes: {
      'alice-laptop': { ...device(1, []), user: 'alice' },
      'alice-server': { ...device(2, ['tag:server']), user: 'alice' },
      'bob-laptop': { ...device(3, []), user: 'bob' },
      'carol-laptop': { ...device(4, []), user: 'carol' },
    },
  };
  const holders = (autogroup: string): string[] => {
    const simulation = simulateTailnet(
      {
        tagOwners: { 'tag:server': ['alice@example.com'] },
        nodeAttrs: [{ target: [autogroup], attr: ['randomize-client-port'] }],
      },
      topology,
    );
    return Object.keys(simulation.nodeAttrs).filter(
      (name) => simulation.nodeAttrs[name]?.['randomize-client-port'] !== undefined,
    );
  };

  it.each([
    ['autogroup:owner', ['alice-laptop']],
    ['autogroup:admin', ['alice-laptop']],
    ['autogroup:network-admin', ['bob-laptop']],
    ['autogroup:it-admin', []],
    ['autogroup:billing-admin', []],
    ['autogroup:auditor', []],
    ['autogroup:member', ['alice-laptop', 'bob-laptop', 'carol-laptop']],
  ])('gives %s to the untagged devices of the users holding the role', (autogroup, expected) => {
    expect(holders(autogroup)).toEqual(expected);
  });

  it('lets a role autogroup reach nothing but those devices as a source', () => {
    const simulation = simulateTailnet(
      {
        tagOwners: { 'tag:server': ['alice@example.com'] },
        acls: [{ action: 'accept', src: ['autogroup:network-admin'], dst: ['tag:server:22'] }],
      },
      topology,
    );
    expect(simulation.filters['alice-server']?.map((match) => match.srcs)).toEqual([
      ['100.64.0.3/32', 'fd7a:115c:a1e0::3/128'],
    ]);
  });
});
