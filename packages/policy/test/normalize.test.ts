import {
  canConnect,
  canSsh,
  capabilitiesAt,
  deriveTopology,
  normalizePolicy,
  simulateTailnet,
  validatePolicy,
  type PolicyDocument,
  type Topology,
} from '../src';

/** Alice's device and a device of tag:server. */
const TOPOLOGY: Topology = deriveTopology({ tagOwners: { 'tag:server': [] } }, ['alice@example.com']);

/** The policy as given, for calls typed with a PolicyDocument: these tests hand them anything. */
const asPolicy = (value: unknown): PolicyDocument => value as PolicyDocument;

/** An SSH rule from members to tag:server as root, with `extra` fields. */
const sshRule = (extra: Record<string, unknown>) => ({
  action: 'accept',
  src: ['autogroup:member'],
  dst: ['tag:server'],
  users: ['root'],
  ...extra,
});

function faults(policy: unknown, topology?: Topology): string[] {
  const verdict = validatePolicy(policy, topology);
  return verdict.ok
    ? []
    : verdict.errors.map((error) => (error.path === '' ? error.message : `${error.path}: ${error.message}`));
}

describe('legacy forms kb/1337 still documents', () => {
  const owners = { tagOwners: { 'tag:server': [] } };

  test.each<[string, unknown, unknown]>([
    [
      'ACL `users` and `ports` read as `src` and `dst`',
      { acls: [{ action: 'accept', users: ['alice@example.com'], ports: ['tag:server:22'] }] },
      { acls: [{ action: 'accept', src: ['alice@example.com'], dst: ['tag:server:22'] }] },
    ],
    [
      '`autogroup:members` read as `autogroup:member`, bare and with ports',
      { acls: [{ action: 'accept', src: ['autogroup:members'], dst: ['autogroup:members:22'] }] },
      { acls: [{ action: 'accept', src: ['autogroup:member'], dst: ['autogroup:member:22'] }] },
    ],
    [
      'a test’s `allow` read as `accept`',
      { tests: [{ src: 'alice@example.com', allow: ['tag:server:22'] }] },
      { tests: [{ src: 'alice@example.com', accept: ['tag:server:22'] }] },
    ],
  ])('%s', (_name, legacy, current) => {
    expect(normalizePolicy(legacy)).toStrictEqual(normalizePolicy(current));
    expect(normalizePolicy(legacy).faults).toStrictEqual([]);
  });

  test('a legacy ACL is accepted and grants what it says', () => {
    const policy = {
      ...owners,
      acls: [{ action: 'accept', users: ['autogroup:members'], ports: ['tag:server:22'] }],
    };
    expect(faults(policy, TOPOLOGY)).toStrictEqual([]);
    const query = { from: 'alice@example.com', to: 'tag:server', port: 22 };
    expect(canConnect(asPolicy(policy), TOPOLOGY, query).allowed).toBe(true);
    expect(canConnect(asPolicy(policy), TOPOLOGY, { ...query, port: 23 }).allowed).toBe(false);
  });

  test('a legacy `allow` test is run like `accept`: a failing one rejects the write', () => {
    const acls = [{ action: 'accept', src: ['alice@example.com'], dst: ['tag:server:22'] }];
    const test = (port: number) => [{ src: 'alice@example.com', allow: [`tag:server:${port}`] }];
    expect(faults({ ...owners, acls, tests: test(22) }, TOPOLOGY)).toStrictEqual([]);
    expect(faults({ ...owners, acls, tests: test(80) }, TOPOLOGY)).toStrictEqual([
      'tests[0]: test(s) failed: alice@example.com cannot reach tag:server:80',
    ]);
  });

  test('fails when a rule gives a field under both its names', () => {
    const policy = { acls: [{ action: 'accept', src: ['*'], users: ['*'], dst: ['*:*'] }] };
    expect(faults(policy)).toStrictEqual([
      'acls[0].users: "users" repeats the field "src" (names match case-insensitively, legacy names included)',
    ]);
  });
});

describe('field names match case-insensitively, as the control plane’s decoder matches them', () => {
  test('a grant naming a group declared under "Groups" is accepted', () => {
    const policy = {
      Groups: { 'group:eng': ['alice@example.com'] },
      TagOwners: { 'tag:server': [] },
      Grants: [{ Src: ['group:eng'], DST: ['tag:server'], Ip: ['22'] }],
    };
    expect(faults(policy)).toStrictEqual([]);
    expect(
      canConnect(asPolicy(policy), TOPOLOGY, { from: 'group:eng', to: 'tag:server', port: 22 }).allowed,
    ).toBe(true);
  });

  test('an allow-all rule under "ACLs" is seen beside tailkube’s "grants": nothing is withheld', () => {
    const policy = {
      ACLs: [{ Action: 'accept', Src: ['*'], Dst: ['*:*'] }],
      tagOwners: { 'tag:server': [] },
      grants: [{ src: ['tag:server'], dst: ['tag:server'], ip: ['443'] }],
    };
    const answer = canConnect(asPolicy(policy), TOPOLOGY, {
      from: 'tag:server',
      to: 'alice@example.com',
      port: 22,
    });
    expect(answer.allowed).toBe(true);
    expect(answer.rules).toStrictEqual([{ section: 'acls', index: 0 }]);
  });

  test('fails when a key is given in two spellings, naming the second', () => {
    expect(faults({ acls: [], ACLs: [] })).toStrictEqual([
      'ACLs: "ACLs" repeats the field "acls" (names match case-insensitively, legacy names included)',
    ]);
  });

  test('keeps map keys exact: "tag:Server" is not "tag:server"', () => {
    const policy = {
      tagOwners: { 'tag:Server': [] },
      grants: [{ src: ['*'], dst: ['tag:server'], ip: ['*'] }],
    };
    expect(faults(policy)).toStrictEqual(['grants[0].dst[0]: dst="tag:server": tag not found: "tag:server"']);
  });
});

describe('lookups find only what the policy declares', () => {
  test.each(['toString', 'constructor', 'valueOf', 'hasOwnProperty'])(
    'a host named %s that is not declared is refused, and the evaluator answers',
    (host) => {
      const policy = { acls: [{ action: 'accept', src: ['*'], dst: [`${host}:22`] }] };
      expect(faults(policy)).toStrictEqual([`acls[0].dst[0]: dst="${host}": host not found: "${host}"`]);
      expect(() =>
        canConnect(asPolicy(policy), TOPOLOGY, { from: 'alice@example.com', to: host, port: 22 }),
      ).not.toThrow();
      expect(
        canConnect(asPolicy(policy), TOPOLOGY, { from: 'alice@example.com', to: host, port: 22 }).allowed,
      ).toBe(false);
    },
  );

  test.each(['group:toString', 'tag:constructor', 'ipset:__proto__'])(
    '%s, undeclared, is refused',
    (name) => {
      const policy = { grants: [{ src: [name], dst: ['*'], ip: ['*'] }] };
      expect(faults(policy).join('\n')).toMatch(/not found/);
    },
  );

  test('an IP set that includes itself is refused, and the evaluator still answers', () => {
    const policy = { ipsets: { 'ipset:a': ['ipset:b', '10.0.0.0/8'], 'ipset:b': ['ipset:a'] } };
    expect(faults(policy)).toStrictEqual([
      'ipsets.ipset:a: ipset "ipset:a" includes itself',
      'ipsets.ipset:b: ipset "ipset:b" includes itself',
    ]);
    expect(
      canConnect(asPolicy(policy), TOPOLOGY, { from: 'alice@example.com', to: 'ipset:a', port: 22 }).allowed,
    ).toBe(true);
  });

  test('a capability named like an Object member is a capability like any other', () => {
    const policy = { grants: [{ src: ['*'], dst: ['*'], app: { constructor: [{ a: 1 }] } }] };
    const answer = capabilitiesAt(asPolicy(policy), TOPOLOGY, {
      from: 'alice@example.com',
      to: 'tag:server',
    });
    expect(Object.entries(answer.capabilities)).toStrictEqual([['constructor', [{ a: 1 }]]]);
  });

  test('a "__proto__" key is an entry, never the prototype of the set', () => {
    const policy = JSON.parse('{"hosts": {"__proto__": "10.0.0.1", "db": "10.0.0.2"}}') as unknown;
    const { document } = normalizePolicy(policy);
    expect(Object.keys(document.hosts ?? {})).toStrictEqual(['__proto__', 'db']);
    expect(Object.getPrototypeOf(document.hosts)).toBeNull();
    expect(({} as Record<string, unknown>).db).toBeUndefined();
  });
});

describe('SCIM-synced groups, SSH session recording', () => {
  test.each<[string, unknown, readonly string[]]>([
    [
      'an undeclared SCIM group (group:name@domain)',
      { grants: [{ src: ['group:eng@example.com'], dst: ['*'], ip: ['*'] }] },
      [],
    ],
    [
      'an undeclared plain group',
      { grants: [{ src: ['group:eng'], dst: ['*'], ip: ['*'] }] },
      ['grants[0].src[0]: src=group not found: "group:eng"'],
    ],
    [
      'an SSH rule with recorder and enforceRecorder',
      {
        tagOwners: { 'tag:server': [], 'tag:recorder': [] },
        ssh: [sshRule({ recorder: ['tag:recorder'], enforceRecorder: true })],
      },
      [],
    ],
    [
      'an SSH recorder tag not declared',
      {
        tagOwners: { 'tag:server': [] },
        ssh: [sshRule({ recorder: ['tag:rec'] })],
      },
      ['ssh[0].recorder[0]: tag not found: "tag:rec"'],
    ],
    [
      'an SSH recorder that is not a tag',
      {
        tagOwners: { 'tag:server': [] },
        ssh: [sshRule({ recorder: ['100.64.0.9'] })],
      },
      ['ssh[0].recorder[0]: recorder "100.64.0.9" must be a tag'],
    ],
    [
      'enforceRecorder that is not a boolean',
      {
        tagOwners: { 'tag:server': [] },
        ssh: [sshRule({ enforceRecorder: 'yes' })],
      },
      ['ssh[0].enforceRecorder: want true or false, got "yes"'],
    ],
  ])('%s', (_name, policy, expected) => {
    expect(faults(policy)).toStrictEqual(expected);
  });
});

describe('malformed policies get a verdict naming the path, never a throw', () => {
  test.each<[string, unknown, readonly string[]]>([
    ['a list', [], ['the policy must be a JSON object, got a list']],
    ['null', null, ['the policy must be a JSON object, got null']],
    ['an ACL without src', { acls: [{ action: 'accept', dst: ['*:*'] }] }, ['acls[0].src: src is required']],
    ['a grant without dst', { grants: [{ src: ['*'], ip: ['*'] }] }, ['grants[0].dst: dst is required']],
    [
      'a string where a list belongs',
      { grants: [{ src: '*', dst: ['*'], ip: ['*'] }] },
      ['grants[0].src: want a list of strings, got "*"'],
    ],
    [
      'a number in a list',
      { acls: [{ action: 'accept', src: [1], dst: ['*:*'] }] },
      ['acls[0].src[0]: want a string, got 1'],
    ],
    ['a rule that is not an object', { grants: ['*'] }, ['grants[0]: want an object, got "*"']],
    ['a section of the wrong type', { acls: {} }, ['acls: want a list of objects, got an object']],
    ['a host that is not a string', { hosts: { db: ['10.0.0.1'] } }, ['hosts.db: want a string, got a list']],
    [
      'group members that are not a list',
      { groups: { 'group:a': 'a@example.com' } },
      ['groups.group:a: want a list of strings, got "a@example.com"'],
    ],
    [
      'app values that are not a list',
      { grants: [{ src: ['*'], dst: ['*'], app: { 'example.com/cap/x': {} } }] },
      [
        'grants[0].app.example.com/cap/x: want a list, got an object',
        'grants[0]: ip and app can not both be empty',
      ],
    ],
    [
      'a test src that is not a string',
      { tests: [{ src: 1, accept: ['1.2.3.4:22'] }] },
      ['tests[0].src: want a string, got 1'],
    ],
    [
      'an unknown field',
      { acls: [{ action: 'accept', src: ['*'], dst: ['*:*'], port: 22 }] },
      ['acls[0].port: unknown field "port"'],
    ],
  ])('%s', (_name, policy, expected) => {
    expect(faults(policy)).toStrictEqual(expected);
    expect(simulateTailnet(policy, TOPOLOGY).accepted).toBe(false);
  });

  test('the evaluator answers on a malformed policy from its well-formed part', () => {
    const policy = {
      grants: [{ src: '*' }, { src: ['alice@example.com'], dst: ['tag:server'], ip: ['22'] }],
    };
    const topology = deriveTopology(asPolicy(policy));
    expect(Object.keys(topology.nodes).length).toBeGreaterThan(0);
    expect(
      canConnect(asPolicy(policy), TOPOLOGY, { from: 'alice@example.com', to: 'tag:server', port: 22 })
        .allowed,
    ).toBe(true);
    expect(
      capabilitiesAt(asPolicy(policy), TOPOLOGY, { from: 'alice@example.com', to: 'tag:server' })
        .capabilities,
    ).toStrictEqual({});
    expect(
      canSsh(asPolicy(policy), TOPOLOGY, { from: 'alice@example.com', to: 'tag:server', user: 'root' })
        .allowed,
    ).toBe(false);
  });
});
