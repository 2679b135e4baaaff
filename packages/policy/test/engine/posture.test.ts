import type { PolicyDocument } from '../../src/document';
import { canConnect } from '../../src/engine/evaluate';
import {
  compareVersions,
  conditionHolds,
  parsePostureCondition,
  type PostureAttributes,
} from '../../src/engine/posture';
import { simulateTailnet } from '../../src/engine/simulate';
import type { Topology, TopologyNode } from '../../src/engine/topology';
import { validatePolicy } from '../../src/engine/validate';

function device(
  ipv4: string,
  owner: { user: string } | { tags: string[] },
  posture?: PostureAttributes,
): TopologyNode {
  return {
    hostname: ipv4,
    tags: 'tags' in owner ? owner.tags : [],
    ...('user' in owner ? { user: owner.user } : {}),
    ipv4,
    ipv6: `fd7a:115c:a1e0::${ipv4.split('.').pop()}`,
    routable_ips: [],
    ...(posture === undefined ? {} : { posture }),
  };
}

const TOPOLOGY: Topology = {
  users: [
    { id: 1, name: 'alice', email: 'alice@example.com' },
    { id: 2, name: 'bob', email: 'bob@example.com' },
  ],
  nodes: {
    mac: device(
      '100.64.0.1',
      { user: 'alice' },
      {
        'node:os': 'macos',
        'node:tsVersion': '1.62.0',
        'node:tsReleaseTrack': 'stable',
      },
    ),
    phone: device('100.64.0.2', { user: 'alice' }, { 'node:os': 'ios', 'node:tsVersion': '1.62.0' }),
    linux: device('100.64.0.3', { user: 'bob' }, { 'node:os': 'linux', 'node:tsVersion': '1.58.1' }),
    bare: device('100.64.0.4', { user: 'bob' }),
    server: device('100.64.0.10', { tags: ['tag:prod'] }),
  },
};

const POSTURES = {
  'posture:mac': ["node:os == 'macos'", "node:tsReleaseTrack == 'stable'"],
  'posture:recent': ["node:tsVersion >= '1.60'"],
};

const BASE: PolicyDocument = { tagOwners: { 'tag:prod': ['alice@example.com'] }, postures: POSTURES };

function reaches(policy: PolicyDocument, from: string): boolean {
  return canConnect({ ...BASE, ...policy }, TOPOLOGY, { from, to: 'tag:prod', port: 443 }).allowed;
}

describe('parsePostureCondition', () => {
  it.each([
    ["node:os == 'macos'", { attribute: 'node:os', operator: '==', values: ['macos'] }],
    ["node:os IN ['macos', 'linux']", { attribute: 'node:os', operator: 'IN', values: ['macos', 'linux'] }],
    ["node:os NOT IN ['windows']", { attribute: 'node:os', operator: 'NOT IN', values: ['windows'] }],
    ["node:tsVersion >= '1.60'", { attribute: 'node:tsVersion', operator: '>=', values: ['1.60'] }],
    ['custom:score > 80', { attribute: 'custom:score', operator: '>', values: [80] }],
    ['node:tsAutoUpdate == true', { attribute: 'node:tsAutoUpdate', operator: '==', values: [true] }],
    ['node:tsAutoUpdate', { attribute: 'node:tsAutoUpdate', operator: '==', values: [true] }],
    ['custom:tier IS SET', { attribute: 'custom:tier', operator: 'IS SET', values: [] }],
    ["ip:country IN ['CH']", { attribute: 'ip:country', operator: 'IN', values: ['CH'] }],
  ])('reads %s', (text, condition) => {
    expect(parsePostureCondition(text)).toEqual({ ok: true, value: condition });
  });

  it.each([
    ["node:os =~ 'mac'", 'unknown operator'],
    ["os == 'macos'", 'invalid attribute "os"'],
    ["node:os IN 'macos'", 'IN needs a list'],
    ["node:os >= 'macos'", '>= compares only numbers and versions'],
    ['node:os == macos', 'invalid value "macos"'],
    ["custom:tier IS SET 'x'", 'IS SET takes no value'],
  ])('rejects %s', (text, message) => {
    const parsed = parsePostureCondition(text);
    expect(parsed.ok ? undefined : parsed.error).toContain(message);
  });
});

describe('compareVersions', () => {
  it.each([
    ['1.60.0', '1.60', 1],
    ['1.60', '1.60', 0],
    ['1.9', '1.10', -1],
    ['1.62.0', '1.60', 1],
    ['1.58.1', '1.60', -1],
    ['1.60.0-t1234', '1.60.0', 1],
  ])('compares %s with %s as %d', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
    expect(Math.sign(compareVersions(b, a))).toBe(sign === 0 ? 0 : -sign);
  });
});

describe('conditionHolds', () => {
  const attributes: PostureAttributes = {
    'node:os': 'linux',
    'node:tsVersion': '1.58.1',
    'custom:score': 72,
  };
  it.each([
    ["node:os == 'linux'", true],
    ["node:os != 'linux'", false],
    ["node:os IN ['macos', 'linux']", true],
    ["node:os NOT IN ['macos', 'linux']", false],
    ["node:tsVersion >= '1.58'", true],
    ["node:tsVersion < '1.58.2'", true],
    ["node:tsVersion >= '1.60'", false],
    ['custom:score >= 72', true],
    ['custom:score > 72', false],
    // An attribute the device lacks fails the condition, negative operators included.
    ["custom:tier != 'prod'", false],
    ["custom:tier NOT IN ['prod']", false],
    ['custom:tier NOT SET', true],
    ['custom:score IS SET', true],
    ['node:tsAutoUpdate', false],
  ])('%s is %s', (text, holds) => {
    const parsed = parsePostureCondition(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(conditionHolds(parsed.value, attributes)).toBe(holds);
  });
});

describe('validatePolicy and postures', () => {
  function messages(policy: PolicyDocument): string[] {
    const verdict = validatePolicy({ ...BASE, ...policy });
    return verdict.ok ? [] : verdict.errors.map((error) => `${error.path}: ${error.message}`);
  }

  it.each<[string, PolicyDocument, string]>([
    [
      'an undefined posture in srcPosture',
      { grants: [{ src: ['*'], dst: ['tag:prod'], ip: ['*'], srcPosture: ['posture:nope'] }] },
      'grants[0].srcPosture[0]: posture not found: "posture:nope"',
    ],
    [
      'an undefined posture in an ACL',
      { acls: [{ action: 'accept', src: ['*'], dst: ['tag:prod:*'], srcPosture: ['posture:nope'] }] },
      'acls[0].srcPosture[0]: posture not found: "posture:nope"',
    ],
    [
      'an undefined default posture',
      { defaultSrcPosture: ['posture:nope'] },
      'defaultSrcPosture[0]: posture not found: "posture:nope"',
    ],
    [
      'a bad operator',
      { postures: { 'posture:x': ["node:os ~= 'macos'"] } },
      'postures.posture:x[0]: posture condition "node:os ~= \'macos\'": unknown operator',
    ],
    [
      'a posture name without its prefix',
      { postures: { mac: ["node:os == 'macos'"] } },
      'postures.mac: invalid posture name "mac"',
    ],
    [
      'a test attribute that is no attribute',
      { tests: [{ src: 'alice@example.com', accept: ['tag:prod:443'], srcPostureAttrs: { os: 'macos' } }] },
      'tests[0].srcPostureAttrs.os: invalid posture attribute "os"',
    ],
  ])('rejects %s', (_name, policy, message) => {
    expect(messages(policy).filter((text) => text.startsWith(message))).toHaveLength(1);
  });

  it('accepts defined postures referenced by rules', () => {
    expect(
      messages({
        defaultSrcPosture: ['posture:recent'],
        grants: [{ src: ['*'], dst: ['tag:prod'], ip: ['*'], srcPosture: ['posture:mac'] }],
      }),
    ).toEqual([]);
  });
});

describe('srcPosture enforcement', () => {
  const grant = (srcPosture?: string[]): PolicyDocument => ({
    grants: [
      { src: ['autogroup:member'], dst: ['tag:prod'], ip: ['tcp:443'], ...(srcPosture && { srcPosture }) },
    ],
  });

  it('admits only devices meeting every condition of the posture', () => {
    const policy = grant(['posture:mac']);
    expect(
      ['mac', 'phone', 'linux', 'bare'].map((name) => reaches(policy, TOPOLOGY.nodes[name]!.ipv4)),
    ).toEqual([true, false, false, false]);
  });

  it('admits a device meeting any of the listed postures', () => {
    const policy = grant(['posture:mac', 'posture:recent']);
    expect(reaches(policy, '100.64.0.2')).toBe(true);
    expect(reaches(policy, '100.64.0.3')).toBe(false);
  });

  it('applies defaultSrcPosture to rules without their own, and not to rules with one', () => {
    const policy: PolicyDocument = {
      defaultSrcPosture: ['posture:recent'],
      grants: [
        { src: ['autogroup:member'], dst: ['tag:prod'], ip: ['tcp:443'] },
        { src: ['autogroup:member'], dst: ['tag:prod'], ip: ['tcp:22'], srcPosture: ['posture:mac'] },
      ],
    };
    expect(reaches(policy, '100.64.0.2')).toBe(true);
    expect(reaches(policy, '100.64.0.3')).toBe(false);
    const ssh = (from: string): boolean =>
      canConnect({ ...BASE, ...policy }, TOPOLOGY, { from, to: 'tag:prod', port: 22 }).allowed;
    expect(ssh('100.64.0.1')).toBe(true);
    expect(ssh('100.64.0.2')).toBe(false);
  });

  it('cuts the devices that fail out of a * source in the filter, and keeps the rest of the range', () => {
    const simulation = simulateTailnet(
      { ...BASE, grants: [{ src: ['*'], dst: ['tag:prod'], ip: ['tcp:443'], srcPosture: ['posture:mac'] }] },
      TOPOLOGY,
    );
    // Only mac (.1) meets posture:mac; phone, linux, bare and server (.2, .3, .4, .10) are cut out.
    expect(simulation.filters.server?.[0]?.srcs).toEqual([
      '100.64.0.0/31',
      '100.64.0.5-100.64.0.9',
      '100.64.0.11-100.115.91.255',
      '100.115.94.0-100.127.255.255',
      'fd7a:115c:a1e0::/127',
      'fd7a:115c:a1e0::5-fd7a:115c:a1e0::f',
      'fd7a:115c:a1e0::11-fd7a:115c:a1e0:ffff:ffff:ffff:ffff:ffff',
    ]);
  });

  it('leaves a policy without postures compiling as before', () => {
    const without = simulateTailnet({ ...BASE, ...grant() }, TOPOLOGY);
    const withUnused = simulateTailnet(
      { ...BASE, ...grant(), postures: { 'posture:unused': ['node:os IS SET'] } },
      TOPOLOGY,
    );
    expect(withUnused.filters).toEqual(without.filters);
  });

  it('names the posture a device fails when a rule would otherwise admit it', () => {
    const answer = canConnect({ ...BASE, ...grant(['posture:mac']) }, TOPOLOGY, {
      from: '100.64.0.3',
      to: 'tag:prod',
      port: 443,
    });
    expect(answer.allowed).toBe(false);
    expect(answer.explanation).toContain('grants[0]');
    expect(answer.explanation).toContain(`posture:mac: "node:os == 'macos'" fails (node:os is "linux")`);
  });

  it('evaluates a source with the attributes the query assumes', () => {
    const policy = { ...BASE, ...grant(['posture:recent']) };
    const query = { from: 'bob@example.com', to: 'tag:prod', port: 443 };
    expect(canConnect(policy, TOPOLOGY, query).allowed).toBe(false);
    expect(
      canConnect(policy, TOPOLOGY, { ...query, srcPostureAttrs: { 'node:tsVersion': '1.70.0' } }).allowed,
    ).toBe(true);
  });
});

describe('policy tests and postures', () => {
  const policy: PolicyDocument = {
    ...BASE,
    grants: [{ src: ['alice@example.com'], dst: ['tag:prod'], ip: ['tcp:443'], srcPosture: ['posture:mac'] }],
  };

  it('evaluates a test with its srcPostureAttrs', () => {
    const verdict = validatePolicy(
      {
        ...policy,
        tests: [
          {
            src: 'alice@example.com',
            accept: ['tag:prod:443'],
            srcPostureAttrs: { 'node:os': 'macos', 'node:tsReleaseTrack': 'stable' },
          },
        ],
      },
      TOPOLOGY,
    );
    expect(verdict).toEqual({ ok: true });
  });

  it('fails a test without attributes against a posture, whatever the devices have', () => {
    const verdict = validatePolicy(
      { ...policy, tests: [{ src: 'alice@example.com', accept: ['tag:prod:443'] }] },
      TOPOLOGY,
    );
    expect(verdict.ok ? [] : verdict.errors.map((error) => error.message)).toEqual([
      'test(s) failed: alice@example.com cannot reach tag:prod:443',
    ]);
  });

  it('passes a deny test for a source whose attributes fail the posture', () => {
    const verdict = validatePolicy(
      {
        ...policy,
        tests: [
          { src: 'alice@example.com', deny: ['tag:prod:443'], srcPostureAttrs: { 'node:os': 'linux' } },
        ],
      },
      TOPOLOGY,
    );
    expect(verdict).toEqual({ ok: true });
  });
});
