import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHujson, validatePolicy } from '../src';

/**
 * The syntax conformance table of docs/policy.md: every form of the tailnet policy file that
 * Tailscale documents (kb/1337 policy syntax, kb/1324 grants, kb/1193 SSH, kb/1018 ACLs,
 * kb/1246 session recording), current and legacy, with the control plane's verdict. Each row is
 * written here from the documentation, and the table in the docs must list it with that verdict.
 */
interface Row {
  /** The form, as the docs table names it. */
  readonly form: string;
  readonly era: 'current' | 'legacy';
  /** A policy (an object), or a HuJSON text for the forms of the file itself. */
  readonly policy: object | string;
  readonly verdict: 'accepted' | 'rejected';
  /** For a rejection: a fragment of the fault. */
  readonly fault?: string;
}

const OWNED = { tagOwners: { 'tag:web': ['autogroup:admin'], 'tag:exit': ['autogroup:admin'] } };
const acl = (dst: string, extra: object = {}) => ({
  ...OWNED,
  acls: [{ action: 'accept', src: ['autogroup:member'], dst: [dst], ...extra }],
});
const grant = (fields: object) => ({
  ...OWNED,
  grants: [{ src: ['autogroup:member'], dst: ['tag:web'], ...fields }],
});
const ssh = (fields: object) => ({
  ...OWNED,
  ssh: [{ action: 'accept', src: ['autogroup:member'], dst: ['tag:web'], users: ['root'], ...fields }],
});

const ROWS: readonly Row[] = [
  // The file itself (HuJSON)
  {
    form: 'comments (`//`, `/* */`) and trailing commas',
    era: 'current',
    policy: '{\n\t// c\n\t"acls": [/* none */],\n}\n',
    verdict: 'accepted',
  },
  {
    form: 'a `//` comment ended by a lone CR',
    era: 'current',
    policy: '{\r// c\r"acls": [],\r}\r',
    verdict: 'rejected',
    fault: 'parsing comment',
  },
  {
    form: 'a top-level key in another case (`"ACLs"`, `"TagOwners"`)',
    era: 'current',
    policy: { ACLs: [], TagOwners: {} },
    verdict: 'accepted',
  },
  {
    form: 'the same key twice in two cases',
    era: 'current',
    policy: { acls: [], ACLs: [] },
    verdict: 'rejected',
    fault: 'repeats the field',
  },
  {
    form: 'an unknown top-level key',
    era: 'current',
    policy: { rules: [] },
    verdict: 'rejected',
    fault: 'unknown field',
  },
  // Targets
  {
    form: '`groups` of users',
    era: 'current',
    policy: { groups: { 'group:eng': ['alice@example.com'] } },
    verdict: 'accepted',
  },
  {
    form: 'a group naming a group',
    era: 'current',
    policy: { groups: { 'group:a': ['a@example.com'], 'group:b': ['group:a'] } },
    verdict: 'rejected',
    fault: 'group members cannot be recursive',
  },
  {
    form: 'an undeclared group',
    era: 'current',
    policy: { grants: [{ src: ['group:eng'], dst: ['*'], ip: ['*'] }] },
    verdict: 'rejected',
    fault: 'group not found',
  },
  {
    form: 'a SCIM-synced group (`group:eng@example.com`), not declared',
    era: 'current',
    policy: { grants: [{ src: ['group:eng@example.com'], dst: ['*'], ip: ['*'] }] },
    verdict: 'accepted',
  },
  {
    form: '`hosts`: a name for an IP or a CIDR',
    era: 'current',
    policy: { hosts: { db: '100.64.0.5', lan: '10.0.0.0/8' } },
    verdict: 'accepted',
  },
  {
    form: '`tagOwners`: users, groups, tags, autogroups',
    era: 'current',
    policy: {
      groups: { 'group:ops': [] },
      tagOwners: { 'tag:a': ['alice@example.com', 'group:ops', 'autogroup:admin'], 'tag:b': ['tag:a'] },
    },
    verdict: 'accepted',
  },
  {
    form: 'an undeclared tag',
    era: 'current',
    policy: acl('tag:none:22'),
    verdict: 'rejected',
    fault: 'tag not found',
  },
  {
    form: '`ipsets`',
    era: 'current',
    policy: {
      ipsets: { 'ipset:lan': ['10.0.0.0/8', '192.168.1.1'] },
      grants: [{ src: ['*'], dst: ['ipset:lan'], ip: ['*'] }],
    },
    verdict: 'accepted',
  },
  // ACLs (kb/1018)
  {
    form: 'ACL `dst` ports: `*`, one, a list, a range',
    era: 'current',
    policy: {
      ...OWNED,
      acls: [
        {
          action: 'accept',
          src: ['*'],
          dst: ['tag:web:*', 'tag:web:22', 'tag:web:80,443', 'tag:web:8000-8090'],
        },
      ],
    },
    verdict: 'accepted',
  },
  {
    form: 'ACL `dst` as an IP, a CIDR, an IPv6 address in brackets',
    era: 'current',
    policy: {
      acls: [
        { action: 'accept', src: ['*'], dst: ['100.64.0.5:22', '10.0.0.0/8:*', '[fd7a:115c:a1e0::5]:443'] },
      ],
    },
    verdict: 'accepted',
  },
  {
    form: 'ACL `proto` by name or number',
    era: 'current',
    policy: {
      ...OWNED,
      acls: [
        { action: 'accept', src: ['*'], dst: ['tag:web:53'], proto: 'udp' },
        { action: 'accept', src: ['*'], dst: ['tag:web:*'], proto: '50' },
      ],
    },
    verdict: 'accepted',
  },
  {
    form: 'ACL `action` other than `accept`',
    era: 'current',
    policy: acl('tag:web:22', { action: 'deny' }),
    verdict: 'rejected',
    fault: 'is not supported',
  },
  {
    form: 'a named port (`tag:web:ssh`)',
    era: 'current',
    policy: acl('tag:web:ssh'),
    verdict: 'rejected',
    fault: 'invalid first integer',
  },
  { form: 'an empty `acls` list (deny all)', era: 'current', policy: { acls: [] }, verdict: 'accepted' },
  {
    form: 'ACL `users` and `ports`',
    era: 'legacy',
    policy: { ...OWNED, acls: [{ action: 'accept', users: ['autogroup:member'], ports: ['tag:web:22'] }] },
    verdict: 'accepted',
  },
  // Grants (kb/1324)
  {
    form: 'grant with `ip` (`*`, `22`, `tcp:443`, `udp:53`, `icmp:*`)',
    era: 'current',
    policy: grant({ ip: ['*', '22', 'tcp:443', 'udp:53', 'icmp:*'] }),
    verdict: 'accepted',
  },
  {
    form: 'grant with `app` capabilities',
    era: 'current',
    policy: grant({ app: { 'example.com/cap/web': [{ role: 'viewer' }] } }),
    verdict: 'accepted',
  },
  {
    form: 'grant with neither `ip` nor `app`',
    era: 'current',
    policy: grant({}),
    verdict: 'rejected',
    fault: 'ip and app can not both be empty',
  },
  {
    form: 'grant `via` tags',
    era: 'current',
    policy: {
      ...OWNED,
      grants: [{ src: ['autogroup:member'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:exit'] }],
    },
    verdict: 'accepted',
  },
  {
    form: 'grant `dst` `0.0.0.0/0`',
    era: 'current',
    policy: { grants: [{ src: ['*'], dst: ['0.0.0.0/0'], ip: ['*'] }] },
    verdict: 'rejected',
    fault: 'to allow all IP addresses',
  },
  {
    form: 'grant `srcPosture`, `postures`, `defaultSrcPosture`',
    era: 'current',
    policy: {
      postures: { 'posture:latest': ["node:tsReleaseTrack == 'stable'"] },
      defaultSrcPosture: ['posture:latest'],
      grants: [{ src: ['*'], dst: ['*'], ip: ['*'], srcPosture: ['posture:latest'] }],
    },
    verdict: 'accepted',
  },
  // Autogroups
  {
    form: '`autogroup:member`, `tagged`, `admin` as sources; `self`, `internet` as destinations',
    era: 'current',
    policy: {
      grants: [
        {
          src: ['autogroup:member', 'autogroup:tagged', 'autogroup:admin'],
          dst: ['autogroup:internet'],
          ip: ['*'],
        },
        { src: ['autogroup:member'], dst: ['autogroup:self'], ip: ['*'] },
      ],
    },
    verdict: 'accepted',
  },
  {
    form: '`autogroup:self` as a source',
    era: 'current',
    policy: { grants: [{ src: ['autogroup:self'], dst: ['*'], ip: ['*'] }] },
    verdict: 'rejected',
    fault: 'not valid on the src side',
  },
  {
    form: '`autogroup:members`',
    era: 'legacy',
    policy: { grants: [{ src: ['autogroup:members'], dst: ['autogroup:self'], ip: ['*'] }] },
    verdict: 'accepted',
  },
  {
    form: 'an unknown autogroup',
    era: 'current',
    policy: { grants: [{ src: ['autogroup:everyone'], dst: ['*'], ip: ['*'] }] },
    verdict: 'rejected',
    fault: 'unknown autogroup',
  },
  // Approvers and attributes
  {
    form: '`autoApprovers`: `routes`, `exitNode`, `services`',
    era: 'current',
    policy: {
      ...OWNED,
      autoApprovers: {
        routes: { '10.0.0.0/8': ['tag:web'] },
        exitNode: ['tag:exit'],
        services: { 'svc:web': ['tag:web'] },
      },
    },
    verdict: 'accepted',
  },
  {
    form: '`nodeAttrs`: `target`, `attr`',
    era: 'current',
    policy: { ...OWNED, nodeAttrs: [{ target: ['tag:web'], attr: ['funnel'] }] },
    verdict: 'accepted',
  },
  {
    form: '`randomizeClientPort`, `disableIPv4`',
    era: 'current',
    policy: { randomizeClientPort: true, disableIPv4: false },
    verdict: 'accepted',
  },
  // SSH (kb/1193, kb/1246)
  {
    form: 'SSH `accept` and `check` with `checkPeriod`, `acceptEnv`, users `root`, `autogroup:nonroot`, `localpart:*@domain`',
    era: 'current',
    policy: {
      ...OWNED,
      ssh: [
        {
          action: 'check',
          checkPeriod: '12h',
          acceptEnv: ['GIT_*'],
          src: ['autogroup:member'],
          dst: ['tag:web'],
          users: ['root', 'autogroup:nonroot', 'localpart:*@example.com'],
        },
      ],
    },
    verdict: 'accepted',
  },
  {
    form: 'SSH `recorder` and `enforceRecorder`',
    era: 'current',
    policy: ssh({ recorder: ['tag:exit'], enforceRecorder: true }),
    verdict: 'accepted',
  },
  {
    form: 'SSH `dst` `*`',
    era: 'current',
    policy: ssh({ dst: ['*'] }),
    verdict: 'rejected',
    fault: 'wildcard (*) is not supported',
  },
  // Tests
  {
    form: '`tests` with `accept`, `deny`, `proto`',
    era: 'current',
    policy: {
      ...OWNED,
      tests: [{ src: 'alice@example.com', proto: 'tcp', accept: ['tag:web:22'], deny: ['tag:web:80'] }],
    },
    verdict: 'accepted',
  },
  {
    form: '`tests` with `allow`',
    era: 'legacy',
    policy: { ...OWNED, tests: [{ src: 'alice@example.com', allow: ['tag:web:22'] }] },
    verdict: 'accepted',
  },
  {
    form: '`sshTests` with `accept`, `check`, `deny`',
    era: 'current',
    policy: {
      ...OWNED,
      sshTests: [
        { src: 'alice@example.com', dst: ['tag:web'], accept: ['root'], check: ['alice'], deny: ['bob'] },
      ],
    },
    verdict: 'accepted',
  },
];

function verdictOf(row: Row): { accepted: boolean; faults: string } {
  if (typeof row.policy === 'string') {
    const parsed = parseHujson(row.policy);
    if (!parsed.ok) return { accepted: false, faults: parsed.fault.error };
    const verdict = validatePolicy(parsed.value);
    return {
      accepted: verdict.ok,
      faults: verdict.ok ? '' : verdict.errors.map((e) => e.message).join('\n'),
    };
  }
  const verdict = validatePolicy(row.policy);
  return { accepted: verdict.ok, faults: verdict.ok ? '' : verdict.errors.map((e) => e.message).join('\n') };
}

const DOCS = fs.readFileSync(path.resolve(__dirname, '../../../docs/policy.md'), 'utf8');

describe('the syntax conformance table', () => {
  test.each(ROWS.map((row) => [row.form, row] as const))('%s', (_form, row) => {
    const { accepted, faults } = verdictOf(row);
    expect(accepted).toBe(row.verdict === 'accepted');
    if (row.fault !== undefined) expect(faults).toContain(row.fault);
  });

  test.each(ROWS.map((row) => [row.form, row] as const))(
    'docs/policy.md lists "%s" with its verdict',
    (_form, row) => {
      expect(DOCS).toContain(`| ${row.form} | ${row.era} | ${row.verdict} |`);
    },
  );
});
