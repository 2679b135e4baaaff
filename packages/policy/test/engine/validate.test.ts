import type { PolicyDocument } from '../../src/document';
import { validatePolicy } from '../../src/engine/validate';
import type { Topology } from '../../src/engine/topology';
import { device } from '../../../../test/helpers/topology';

const BASE: PolicyDocument = {
  groups: { 'group:eng': ['alice@example.com'] },
  hosts: { db: '100.100.0.5', lan: '10.0.0.0/8' },
  tagOwners: { 'tag:k8s': ['group:eng'], 'tag:router': ['alice@example.com'] },
};

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
    cluster: {
      hostname: 'cluster',
      tags: ['tag:k8s'],
      ipv4: '100.64.0.2',
      ipv6: 'fd7a:115c:a1e0::2',
      routable_ips: [],
    },
  },
};

function faults(policy: PolicyDocument, topology?: Topology): string[] {
  const verdict = validatePolicy({ ...BASE, ...policy }, topology);
  return verdict.ok ? [] : verdict.errors.map((error) => `${error.path}: ${error.message}`);
}

describe('validatePolicy', () => {
  it.each<[string, PolicyDocument, string]>([
    [
      'an undeclared tag in src',
      { acls: [{ action: 'accept', src: ['tag:x'], dst: ['*:*'] }] },
      'src=tag not found: "tag:x"',
    ],
    [
      'an undeclared tag in dst',
      { acls: [{ action: 'accept', src: ['*'], dst: ['tag:x:22'] }] },
      'dst="tag:x": tag not found: "tag:x"',
    ],
    [
      'an undeclared group',
      { acls: [{ action: 'accept', src: ['group:ops'], dst: ['*:*'] }] },
      'group not found',
    ],
    ['an undeclared host', { acls: [{ action: 'accept', src: ['*'], dst: ['nas:22'] }] }, 'host not found'],
    [
      'a recursive group',
      { groups: { 'group:a': ['group:b'], 'group:b': ['group:a'] } },
      'group members cannot be recursive',
    ],
    [
      'a group naming a group (kb/1337: members are users)',
      { groups: { 'group:a': ['a@example.com'], 'group:b': ['group:a'] } },
      'groups["group:b"]: "group:a": group members cannot be recursive',
    ],
    ['a named port', { acls: [{ action: 'accept', src: ['*'], dst: ['tag:k8s:ssh'] }] }, 'port range "ssh"'],
    [
      'a port out of range',
      { acls: [{ action: 'accept', src: ['*'], dst: ['tag:k8s:70000'] }] },
      'out of range',
    ],
    [
      'an unknown protocol',
      { acls: [{ action: 'accept', src: ['*'], dst: ['*:*'], proto: 'quic' }] },
      'unknown protocol',
    ],
    [
      'a deny action',
      { acls: [{ action: 'deny' as 'accept', src: ['*'], dst: ['*:*'] }] },
      'action="deny" is not supported',
    ],
    ['an unknown top-level key', { ...({ aclz: [] } as PolicyDocument) }, 'unknown field "aclz"'],
    [
      'an unknown rule key',
      { grants: [{ src: ['*'], dst: ['*'], ip: ['*'], ...({ port: 1 } as object) }] },
      'unknown field "port"',
    ],
    ['an empty grant', { grants: [{ src: ['*'], dst: ['*'], ip: [] }] }, 'ip and app can not both be empty'],
    [
      'a grant to 0.0.0.0/0',
      { grants: [{ src: ['*'], dst: ['0.0.0.0/0'], ip: ['*'] }] },
      'use "*" or "autogroup:internet"',
    ],
    [
      'a bare protocol as grant ip',
      { grants: [{ src: ['*'], dst: ['*'], ip: ['icmp'] }] },
      'port range "icmp"',
    ],
    [
      'a capability with a scheme',
      { grants: [{ src: ['*'], dst: ['*'], app: { 'https://x.com/cap': [{}] } }] },
      '{domain}/{path}',
    ],
    [
      'a capability in the tailscale.com domain',
      { grants: [{ src: ['*'], dst: ['*'], app: { 'tailscale.com/cap/funnel': [{}] } }] },
      'must not be in the tailscale.com domain',
    ],
    [
      'a via that is not a tag',
      { grants: [{ src: ['*'], dst: ['10.0.0.0/8'], ip: ['*'], via: ['group:eng'] }] },
      'via can only be a tag',
    ],
    [
      'autogroup:self as a source',
      { acls: [{ action: 'accept', src: ['autogroup:self'], dst: ['*:*'] }] },
      'not valid on the src side',
    ],
    [
      'autogroup:self reached from a tag',
      { acls: [{ action: 'accept', src: ['tag:k8s'], dst: ['autogroup:self:*'] }] },
      'autogroup:self can only be used with users, groups, or supported autogroups',
    ],
    [
      'autogroup:self reached from * in a grant',
      { grants: [{ src: ['*'], dst: ['autogroup:self'], ip: ['*'] }] },
      'autogroup:self can only be used',
    ],
    [
      'an unknown autogroup',
      { acls: [{ action: 'accept', src: ['autogroup:bogus'], dst: ['*:*'] }] },
      'unknown autogroup',
    ],
    [
      'a nodeAttrs target that is no selector',
      { nodeAttrs: [{ target: ['%bogus%'], attr: ['funnel'] }] },
      'invalid address',
    ],
    [
      'an ipPool in a reserved range',
      { nodeAttrs: [{ target: ['*'], ipPool: ['100.100.100.0/24'] }] },
      'network within reserved range',
    ],
  ])('rejects %s', (_name, policy, expected) => {
    expect(faults(policy).join('\n')).toContain(expected);
  });

  it.each<[string, PolicyDocument]>([
    ['an empty policy', {}],
    [
      'an ACL from a group to a tag port list',
      { acls: [{ action: 'accept', src: ['group:eng'], dst: ['tag:k8s:80,443'] }] },
    ],
    [
      'autogroup:self from * in an ACL',
      { acls: [{ action: 'accept', src: ['*'], dst: ['autogroup:self:*'] }] },
    ],
    [
      'a grant with an allowed tailscale.com capability',
      { grants: [{ src: ['*'], dst: ['*'], app: { 'tailscale.com/cap/drive': [{}] } }] },
    ],
    [
      'a via grant through a declared tag',
      { grants: [{ src: ['*'], dst: ['10.0.0.0/8'], ip: ['*'], via: ['tag:router'] }] },
    ],
    ['keys in another case', { ...({ ACLs: [] } as PolicyDocument) }],
  ])('accepts %s', (_name, policy) => {
    expect(faults(policy)).toEqual([]);
  });

  describe('tests', () => {
    const acls: PolicyDocument['acls'] = [{ action: 'accept', src: ['group:eng'], dst: ['tag:k8s:443'] }];

    it.each<[string, PolicyDocument['tests']]>([
      ['an accepted port', [{ src: 'alice@example.com', accept: ['tag:k8s:443'] }]],
      ['a denied port', [{ src: 'group:eng', deny: ['tag:k8s:22'] }]],
      ['a host with one address', [{ src: 'tag:k8s', deny: ['db:5432'] }]],
    ])('accepts a passing test with %s', (_name, tests) => {
      expect(faults({ acls, ...(tests === undefined ? {} : { tests }) }, TOPOLOGY)).toEqual([]);
    });

    it.each<[string, PolicyDocument['tests']]>([
      ['access is denied', [{ src: 'alice@example.com', accept: ['tag:k8s:22'] }]],
      ['access is allowed', [{ src: 'alice@example.com', deny: ['tag:k8s:443'] }]],
      ['the port is a range', [{ src: 'alice@example.com', accept: ['tag:k8s:443-444'] }]],
      ['the target is a CIDR', [{ src: 'alice@example.com', accept: ['lan:443'] }]],
      ['the target is a user', [{ src: 'tag:k8s', accept: ['alice@example.com:22'] }]],
      ['the source names no device', [{ src: 'tag:router', deny: ['tag:k8s:22'] }]],
      ['the source is missing', [{ src: '', accept: ['tag:k8s:443'] }]],
      ['neither accept nor deny is given', [{ src: 'alice@example.com' }]],
    ])('fails when %s', (_name, tests) => {
      expect(faults({ acls, ...(tests === undefined ? {} : { tests }) }, TOPOLOGY).join('\n')).toContain(
        'test(s) failed',
      );
    });

    // Bob's only device is tagged: a tagged device belongs to its tags, not to the user who made it.
    const withBob: Topology = {
      users: [...TOPOLOGY.users, { id: 2, name: 'bob', email: 'bob@example.com' }],
      nodes: {
        ...TOPOLOGY.nodes,
        server: device('server', 3, { tags: ['tag:k8s'], user: 'bob' }),
      },
    };
    const groups = { 'group:eng': ['alice@example.com'], 'group:ops': ['bob@example.com'] };

    it.each<[string, PolicyDocument['tests']]>([
      ['a user in another case', [{ src: 'Alice@Example.COM', accept: ['tag:k8s:443'] }]],
      ['a group whose member owns an untagged device', [{ src: 'group:eng', accept: ['tag:k8s:443'] }]],
      ['a tag with an owner', [{ src: 'tag:k8s', deny: ['tag:k8s:443'] }]],
    ])('finds the source devices of %s', (_name, tests) => {
      expect(faults({ groups, acls, ...(tests === undefined ? {} : { tests }) }, withBob)).toEqual([]);
    });

    it.each<[string, string]>([
      ['a user whose only device is tagged', 'bob@example.com'],
      ['a group of such users', 'group:ops'],
    ])('finds no device for %s', (_name, src) => {
      expect(faults({ groups, acls, tests: [{ src, deny: ['tag:k8s:22'] }] }, withBob)).toEqual([
        `tests[0]: test(s) failed: src ${JSON.stringify(src)} names no device`,
      ]);
    });
  });
});
