import type { PolicyDocument } from '@tailkube/policy';
import { accessMatrix, diffAccess } from '../src/access';
import { accessTopology } from '../src/topology';

const OWNERS = { 'tag:db': ['autogroup:admin'], 'tag:web': ['autogroup:admin'] };
const DB_FOR_ENG: PolicyDocument = {
  groups: { 'group:eng': ['alice@example.com'] },
  tagOwners: OWNERS,
  grants: [{ src: ['group:eng'], dst: ['tag:db'], ip: ['tcp:5432'] }],
};

describe('accessMatrix', () => {
  test('lists each pair the rules name with the ports it allows and capabilities it grants', () => {
    const policy: PolicyDocument = {
      ...DB_FOR_ENG,
      acls: [{ action: 'accept', src: ['group:eng'], dst: ['tag:web:80,443'] }],
      grants: [
        ...(DB_FOR_ENG.grants ?? []),
        { src: ['autogroup:member'], dst: ['tag:web'], app: { 'example.com/cap/web': [{ role: 'viewer' }] } },
      ],
    };

    expect(accessMatrix(policy, accessTopology([policy]))).toStrictEqual([
      {
        src: 'autogroup:member',
        dst: 'tag:web',
        ports: [],
        capabilities: { 'example.com/cap/web': [{ role: 'viewer' }] },
        constructs: [],
      },
      { src: 'group:eng', dst: 'tag:db', ports: ['tcp:5432'], capabilities: {}, constructs: [] },
      { src: 'group:eng', dst: 'tag:web', ports: ['80,443'], capabilities: {}, constructs: [] },
    ]);
  });
});

describe('diffAccess', () => {
  test('names what becomes allowed and denied, on the same devices for both policies', () => {
    const program: PolicyDocument = {
      ...DB_FOR_ENG,
      grants: [{ src: ['group:eng'], dst: ['tag:web'], ip: ['tcp:443'] }],
    };

    expect(diffAccess(DB_FOR_ENG, program, accessTopology([DB_FOR_ENG, program]))).toStrictEqual([
      { src: 'group:eng', dst: 'tag:db', what: 'tcp:5432', kind: 'port', change: 'denied' },
      { src: 'group:eng', dst: 'tag:web', what: 'tcp:443', kind: 'port', change: 'allowed' },
    ]);
  });

  test('a live policy without rules allows everything, so any program rule denies the rest', () => {
    const live: PolicyDocument = { tagOwners: OWNERS };

    expect(diffAccess(live, DB_FOR_ENG, accessTopology([live, DB_FOR_ENG]))).toStrictEqual([
      { src: '*', dst: '*', what: '*', kind: 'port', change: 'denied' },
      // The live policy has no group:eng: it names nobody there.
      { src: 'group:eng', dst: 'tag:db', what: 'tcp:5432', kind: 'port', change: 'allowed' },
    ]);
  });

  test('a capability value that changes is named', () => {
    const grant = (groups: string[]): PolicyDocument => ({
      tagOwners: { 'tag:k8s-operator': ['autogroup:admin'] },
      grants: [
        {
          src: ['autogroup:member'],
          dst: ['tag:k8s-operator'],
          ip: ['tcp:443'],
          app: { 'tailscale.com/cap/kubernetes': [{ impersonate: { groups } }] },
        },
      ],
    });
    const [live, program] = [grant(['viewers']), grant(['editors'])];

    expect(diffAccess(live, program, accessTopology([live, program]))).toStrictEqual([
      {
        src: 'autogroup:member',
        dst: 'tag:k8s-operator',
        what: 'tailscale.com/cap/kubernetes',
        kind: 'capability',
        change: 'changed',
      },
    ]);
  });
});

describe('accessTopology', () => {
  test('puts the tailnet devices first, then stand-ins, with the devices owners as users', () => {
    const topology = accessTopology(
      [DB_FOR_ENG],
      [
        {
          addresses: ['100.101.0.1', 'fd7a:115c:a1e0::1'],
          name: 'db.ts.net',
          hostname: 'db',
          user: 'bob@example.com',
          tags: ['tag:db'],
        },
        { addresses: ['100.101.0.2'], name: 'bob.ts.net', hostname: 'bob', user: 'bob@example.com' },
      ],
    );

    expect(Object.keys(topology.nodes)).toStrictEqual([
      'db',
      'bob',
      'db (stand-in)',
      'web (stand-in)',
      'alice-device (stand-in)',
      // The tags' owner, autogroup:admin, gets a stand-in admin.
      'admin-device (stand-in)',
    ]);
    expect(topology.nodes['bob']).toMatchObject({ user: 'bob@example.com', ipv4: '100.101.0.2', ipv6: '' });
    expect(topology.nodes['db']).not.toHaveProperty('user');
    expect(topology.users.map((user) => user.email)).toStrictEqual([
      'alice@example.com',
      'bob@example.com',
      'admin@tailnet.invalid',
    ]);
  });
});
