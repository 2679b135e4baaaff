import type { PolicyDocument, SshTest } from '../../src/document';
import { formatDuration, parseDuration } from '../../src/engine/duration';
import { canSsh } from '../../src/engine/evaluate-ssh';
import { compileSshPolicies } from '../../src/engine/ssh';
import type { Topology, TopologyNode } from '../../src/engine/topology';
import { validatePolicy } from '../../src/engine/validate';

function device(last: number, owner: { user: string } | { tags: string[] }): TopologyNode {
  return {
    hostname: `host-${last}`,
    tags: 'tags' in owner ? owner.tags : [],
    ...('user' in owner ? { user: owner.user } : {}),
    ipv4: `100.64.0.${last}`,
    ipv6: `fd7a:115c:a1e0::${last}`,
    routable_ips: [],
  };
}

const TOPOLOGY: Topology = {
  users: [
    { id: 1, name: 'alice', email: 'alice@example.com' },
    { id: 2, name: 'bob', email: 'bob@corp.example' },
  ],
  nodes: {
    'alice-laptop': device(1, { user: 'alice' }),
    'alice-desktop': device(2, { user: 'alice' }),
    'bob-laptop': device(3, { user: 'bob' }),
    server: device(10, { tags: ['tag:prod'] }),
    ci: device(11, { tags: ['tag:ci'] }),
  },
};

const POLICY: PolicyDocument = {
  groups: { 'group:eng': ['alice@example.com'] },
  tagOwners: { 'tag:prod': ['group:eng'], 'tag:ci': ['group:eng'] },
  ssh: [
    {
      action: 'accept',
      src: ['autogroup:member'],
      dst: ['autogroup:self'],
      users: ['autogroup:nonroot', 'root'],
    },
    { action: 'check', src: ['group:eng'], dst: ['tag:prod'], users: ['root'], checkPeriod: '20h' },
    {
      action: 'accept',
      src: ['autogroup:member'],
      dst: ['tag:prod'],
      users: ['autogroup:nonroot'],
      acceptEnv: ['GIT_*'],
    },
    { action: 'accept', src: ['tag:ci'], dst: ['tag:prod'], users: ['deploy'] },
  ],
};

const ACCEPT = {
  accept: true,
  allowAgentForwarding: true,
  allowLocalPortForwarding: true,
  allowRemotePortForwarding: true,
};
const CHECK = {
  holdAndDelegate:
    'https://login.tailscale.com/machine/ssh/action/$SRC_NODE_ID/to/$DST_NODE_ID?local_user=$LOCAL_USER',
};
const principals = (...lasts: number[]): { nodeIP: string }[] => [
  ...lasts.map((last) => ({ nodeIP: `100.64.0.${last}` })),
  ...lasts.map((last) => ({ nodeIP: `fd7a:115c:a1e0::${last}` })),
];

describe('compileSshPolicies', () => {
  const policies = compileSshPolicies(POLICY, TOPOLOGY);

  it('gives a tagged destination the rules naming its tag, check rules first', () => {
    expect(policies.server).toEqual({
      rules: [
        { principals: principals(1, 2), sshUsers: { root: 'root' }, action: CHECK },
        {
          principals: principals(1, 2, 3),
          sshUsers: { '*': '=', root: '' },
          action: ACCEPT,
          acceptEnv: ['GIT_*'],
        },
        { principals: principals(11), sshUsers: { deploy: 'deploy', root: '' }, action: ACCEPT },
      ],
    });
  });

  it('gives a user device autogroup:self rules admitting only its owner’s devices', () => {
    expect(policies['alice-laptop']).toEqual({
      rules: [{ principals: principals(1, 2), sshUsers: { '*': '=', root: 'root' }, action: ACCEPT }],
    });
    expect(policies['bob-laptop']?.rules.map((rule) => rule.principals)).toEqual([principals(3)]);
  });

  it('gives a device no rule names no rules', () => {
    expect(policies.ci).toEqual({ rules: [] });
  });

  it('adds a rule per user of a localpart domain, logging them in as their local part', () => {
    const policy: PolicyDocument = {
      ...POLICY,
      ssh: [
        {
          action: 'accept',
          src: ['autogroup:member'],
          dst: ['tag:prod'],
          users: ['localpart:*@example.com'],
        },
      ],
    };
    expect(compileSshPolicies(policy, TOPOLOGY).server?.rules).toEqual([
      { principals: principals(1, 2), sshUsers: { root: '' }, action: ACCEPT },
      { principals: principals(1, 2), sshUsers: { alice: 'alice' }, action: ACCEPT },
      { principals: principals(3), sshUsers: { root: '' }, action: ACCEPT },
    ]);
  });
});

describe('canSsh', () => {
  it.each<[string, string, string, boolean, 'accept' | 'check' | undefined]>([
    ['alice@example.com', 'tag:prod', 'root', true, 'check'],
    ['alice@example.com', 'tag:prod', 'ubuntu', true, 'accept'],
    ['bob@corp.example', 'tag:prod', 'ubuntu', true, 'accept'],
    ['bob@corp.example', 'tag:prod', 'root', false, undefined],
    ['alice@example.com', 'alice@example.com', 'root', true, 'accept'],
    ['alice@example.com', 'bob@corp.example', 'ubuntu', false, undefined],
    ['tag:ci', 'tag:prod', 'deploy', true, 'accept'],
    ['tag:ci', 'tag:prod', 'ubuntu', false, undefined],
  ])('answers %s → %s as %s with %s (%s)', (from, to, user, allowed, action) => {
    const answer = canSsh(POLICY, TOPOLOGY, { from, to, user });
    expect([answer.allowed, answer.action]).toEqual([allowed, action]);
  });

  it('names the check rule and its period', () => {
    expect(canSsh(POLICY, TOPOLOGY, { from: 'group:eng', to: 'tag:prod', user: 'root' })).toEqual({
      allowed: true,
      action: 'check',
      checkPeriod: '20h',
      explanation:
        'allowed after a check (re-authentication every 20h) by ssh[1] {"src":["group:eng"],"dst":["tag:prod"],"users":["root"]}',
      rules: [1],
    });
  });

  it('names a rule that lets the source in as other users', () => {
    expect(
      canSsh(POLICY, TOPOLOGY, { from: 'bob@corp.example', to: 'tag:prod', user: 'root' }).explanation,
    ).toBe(
      'no ssh rule lets bob-laptop (bob@corp.example) log in to server (tag:prod) as root; ' +
        'ssh[2] {"src":["autogroup:member"],"dst":["tag:prod"],"users":["autogroup:nonroot"]} lets bob-laptop in, but not as root',
    );
  });

  it('derives a topology from the policy when none is given', () => {
    expect(canSsh(POLICY, undefined, { from: 'tag:ci', to: 'tag:prod', user: 'deploy' }).allowed).toBe(true);
  });
});

function faults(policy: PolicyDocument, topology?: Topology): string[] {
  const verdict = validatePolicy({ ...POLICY, ...policy }, topology);
  return verdict.ok ? [] : verdict.errors.map((error) => `${error.path}: ${error.message}`);
}

describe('validatePolicy and ssh rules', () => {
  const rule = { action: 'accept' as const, src: ['autogroup:member'], dst: ['tag:prod'], users: ['root'] };
  it.each<[string, PolicyDocument, string]>([
    [
      'a deny action',
      { ssh: [{ ...rule, action: 'deny' as 'accept' }] },
      'ssh[0].action: "deny" is not a valid action',
    ],
    ['no users', { ssh: [{ ...rule, users: [] }] }, 'ssh[0].users: users must be specified'],
    ['a * user', { ssh: [{ ...rule, users: ['*'] }] }, 'ssh[0].users[0]: user "*" is not valid'],
    [
      'a host as destination',
      { hosts: { srv: '100.64.0.10' }, ssh: [{ ...rule, dst: ['srv'] }] },
      'ssh[0].dst[0]: invalid dst "srv"',
    ],
    [
      '* as destination',
      { ssh: [{ ...rule, dst: ['*'] }] },
      'ssh[0].dst[0]: wildcard (*) is not supported as SSH destination',
    ],
    [
      'a tag logging in to its users’ devices',
      { ssh: [{ ...rule, src: ['tag:ci'], dst: ['autogroup:self'] }] },
      'ssh[0]: autogroup:self destination requires source to contain only users or groups',
    ],
    [
      'a user destination for another source',
      { ssh: [{ ...rule, src: ['group:eng'], dst: ['alice@example.com'] }] },
      'ssh[0]: user destination requires source to contain only that same user "alice@example.com"',
    ],
    [
      'a checkPeriod on accept',
      { ssh: [{ ...rule, checkPeriod: '1h' }] },
      'ssh[0].checkPeriod: checkPeriod is only valid with action "check"',
    ],
    [
      'a checkPeriod above a week',
      { ssh: [{ ...rule, action: 'check', checkPeriod: '200h' }] },
      'ssh[0].checkPeriod: checkPeriod 200h0m0s is above the max (168h)',
    ],
    [
      'an empty acceptEnv name',
      { ssh: [{ ...rule, acceptEnv: [''] }] },
      'ssh[0].acceptEnv[0]: acceptEnv values cannot be empty',
    ],
    [
      'an undeclared tag',
      { ssh: [{ ...rule, dst: ['tag:nope'] }] },
      'ssh[0].dst[0]: dst="tag:nope": tag not found: "tag:nope"',
    ],
  ])('rejects %s', (_name, policy, message) => {
    expect(faults(policy).filter((text) => text.startsWith(message))).toHaveLength(1);
  });

  it('accepts checkPeriod always and a week', () => {
    expect(
      faults({
        ssh: [
          { ...rule, action: 'check', checkPeriod: 'always' },
          { ...rule, action: 'check', checkPeriod: '168h' },
        ],
      }),
    ).toEqual([]);
  });
});

describe('validatePolicy and sshTests', () => {
  it.each<[string, readonly SshTest[]]>([
    [
      'accept, check and deny that hold',
      [{ src: 'alice@example.com', dst: ['tag:prod'], accept: ['root', 'ubuntu'], check: ['root'] }],
    ],
    [
      'a deny that holds',
      [{ src: 'bob@corp.example', dst: ['tag:prod'], accept: ['ubuntu'], deny: ['root'] }],
    ],
    [
      'autogroup:self, the source user’s devices',
      [{ src: 'alice@example.com', dst: ['autogroup:self'], accept: ['root'] }],
    ],
    ['a single address', [{ src: 'tag:ci', dst: ['100.64.0.10'], accept: ['deploy'], deny: ['root'] }]],
  ])('passes %s', (_name, sshTests) => {
    expect(faults({ sshTests }, TOPOLOGY)).toEqual([]);
  });

  it.each<[string, readonly SshTest[], string]>([
    [
      'an accept the policy refuses',
      [{ src: 'bob@corp.example', dst: ['tag:prod'], accept: ['root'] }],
      'sshTests[0]: test(s) failed: bob@corp.example cannot log in to server as root',
    ],
    [
      'a deny the policy lets in',
      [{ src: 'alice@example.com', dst: ['tag:prod'], deny: ['root'] }],
      'sshTests[0]: test(s) failed: alice@example.com can log in to server as root',
    ],
    [
      'a check satisfied only by an accept rule',
      [{ src: 'bob@corp.example', dst: ['tag:prod'], check: ['ubuntu'] }],
      'sshTests[0]: test(s) failed: bob@corp.example logs in without a check to server as ubuntu',
    ],
    [
      'autogroup:self for a tag',
      [{ src: 'tag:ci', dst: ['autogroup:self'], accept: ['root'] }],
      'sshTests[0]: test(s) failed: dst "autogroup:self" names no device',
    ],
    [
      'no assertion',
      [{ src: 'tag:ci', dst: ['tag:prod'] }],
      'sshTests[0]: test(s) failed: one of `accept`, `check` or `deny` is required',
    ],
    [
      'a source with no device',
      [{ src: 'carol@example.com', dst: ['tag:prod'], accept: ['root'] }],
      'sshTests[0]: test(s) failed: src "carol@example.com" names no device',
    ],
  ])('fails %s', (_name, sshTests, message) => {
    expect(faults({ sshTests }, TOPOLOGY)).toEqual([message]);
  });

  it.each<[string, string]>([
    ['tag:prod:22', 'SSH tests dst contains unknown tag "tag:prod:22"'],
    ['tag:nope', 'SSH tests dst contains unknown tag "tag:nope"'],
    ['10.0.0.0/8', 'SSH tests dst contains disallowed element "10.0.0.0/8"'],
    ['autogroup:internet', 'SSH tests dst contains disallowed element "autogroup:internet"'],
  ])('rejects the destination %s without a topology', (dst, message) => {
    expect(faults({ sshTests: [{ src: 'alice@example.com', dst: [dst], accept: ['root'] }] })).toEqual([
      `sshTests[0].dst[0]: ${message}`,
    ]);
  });
});

describe('durations', () => {
  it.each([
    ['12h', '12h0m0s'],
    ['1h30m', '1h30m0s'],
    ['90s', '1m30s'],
    ['1.5s', '1.5s'],
    ['-2h', '-2h0m0s'],
    ['250ms', '250ms'],
    ['0', '0s'],
  ])('reads %s as Go prints it, %s', (text, printed) => {
    const value = parseDuration(text);
    expect(value === undefined ? undefined : formatDuration(value)).toBe(printed);
  });

  it.each(['12', 'h', '1d', ''])('rejects %s', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
