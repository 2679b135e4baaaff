import type { PolicyDocument } from '@tailkube/policy';
import { deriveTopology, type Topology } from '@tailkube/policy';
import { derivePolicyTests } from '../../src/program/policy-tests';
import type { AccessIntent } from '../../src/tailnet/requirements';
import { device } from '../../../../test/helpers/topology';

const SOURCE = "TailscaleIngress 'app/web'";
const POLICY: PolicyDocument = {
  groups: { 'group:eng': ['alice@example.com'], 'group:empty': [] },
  hosts: { nas: '192.168.1.10', lan: '192.168.1.0/24' },
  tagOwners: { 'tag:web': [] },
  grants: [],
};

function derive(intent: AccessIntent) {
  const topology = deriveTopology(POLICY, [intent.src, intent.dst]);
  return derivePolicyTests([{ source: SOURCE, intendedAccess: [intent] }], POLICY, topology);
}

describe('derivePolicyTests', () => {
  it.each<[string, AccessIntent, object]>([
    [
      'a user to a tag',
      { src: 'alice@example.com', dst: 'tag:web', port: 443, expect: 'allow' },
      { src: 'alice@example.com', accept: ['tag:web:443'] },
    ],
    [
      'a group to a host',
      { src: 'group:eng', dst: 'nas', port: 445, expect: 'deny' },
      { src: 'group:eng', deny: ['nas:445'] },
    ],
    [
      'a tag to an IPv4',
      { src: 'tag:web', dst: '100.64.0.9', port: 80, expect: 'allow' },
      { src: 'tag:web', accept: ['100.64.0.9:80'] },
    ],
    [
      'a host to an IPv6',
      { src: 'nas', dst: 'fd7a:115c:a1e0::9', port: 22, expect: 'deny' },
      { src: 'nas', deny: ['[fd7a:115c:a1e0::9]:22'] },
    ],
  ])('writes %s', (_, intent, test) => {
    expect(derive(intent)).toEqual({ tests: [{ source: SOURCE, test }], skipped: [] });
  });

  it('writes one test per protocol for a source, `proto` on the UDP one', () => {
    const intents: AccessIntent[] = [
      { src: 'tag:web', dst: 'nas', port: 53, proto: 'udp', expect: 'allow' },
      { src: 'tag:web', dst: 'nas', port: 53, expect: 'allow' },
      { src: 'tag:web', dst: 'nas', port: 853, expect: 'deny' },
    ];
    const topology = deriveTopology(POLICY, ['tag:web', 'nas']);
    const derived = derivePolicyTests([{ source: SOURCE, intendedAccess: intents }], POLICY, topology);
    expect(derived.tests.map(({ test }) => test)).toStrictEqual([
      { src: 'tag:web', accept: ['nas:53'], deny: ['nas:853'] },
      { src: 'tag:web', proto: 'udp', accept: ['nas:53'] },
    ]);
  });

  it.each<[string, AccessIntent, string]>([
    [
      'an autogroup source',
      { src: 'autogroup:member', dst: 'tag:web', port: 443, expect: 'allow' },
      'a test\'s src must be a user, group, tag or host, not "autogroup:member"',
    ],
    [
      'a wildcard source',
      { src: '*', dst: 'tag:web', port: 443, expect: 'deny' },
      'a test\'s src must be a user, group, tag or host, not "*"',
    ],
    [
      'a CIDR host source',
      { src: 'lan', dst: 'tag:web', port: 443, expect: 'deny' },
      'host lan is not a single address',
    ],
    [
      'a group without devices',
      { src: 'group:empty', dst: 'tag:web', port: 443, expect: 'deny' },
      'group:empty has no device yet',
    ],
    [
      'a service target',
      { src: 'group:eng', dst: 'svc:web', port: 443, expect: 'allow' },
      'policy tests cannot target a Tailscale Service (svc:)',
    ],
    [
      'a CIDR target',
      { src: 'group:eng', dst: '10.0.0.0/8', port: 22, expect: 'deny' },
      'policy tests cannot target a CIDR, only a single IP',
    ],
    [
      'an autogroup target',
      { src: 'group:eng', dst: 'autogroup:internet', port: 443, expect: 'allow' },
      'a test target must be a tag, host or IP, not "autogroup:internet"',
    ],
    [
      'a group target',
      { src: 'tag:web', dst: 'group:eng', port: 22, expect: 'deny' },
      'a test target must be a tag, host or IP, not "group:eng"',
    ],
  ])('skips %s, saying why', (_, intent, reason) => {
    expect(derive(intent)).toEqual({ tests: [], skipped: [{ source: SOURCE, intent, reason }] });
  });

  it("groups one construct's intents by source, sorted", () => {
    const intents: AccessIntent[] = [
      { src: 'group:eng', dst: 'tag:web', port: 443, expect: 'allow' },
      { src: 'group:eng', dst: 'nas', port: 445, expect: 'allow' },
      { src: 'group:eng', dst: 'tag:web', port: 22, expect: 'deny' },
      { src: 'alice@example.com', dst: 'tag:web', port: 443, expect: 'allow' },
    ];
    const topology = deriveTopology(
      POLICY,
      intents.flatMap((intent) => [intent.src, intent.dst]),
    );
    expect(derivePolicyTests([{ source: SOURCE, intendedAccess: intents }], POLICY, topology).tests).toEqual([
      { source: SOURCE, test: { src: 'alice@example.com', accept: ['tag:web:443'] } },
      {
        source: SOURCE,
        test: { src: 'group:eng', accept: ['nas:445', 'tag:web:443'], deny: ['tag:web:22'] },
      },
    ]);
  });

  it('counts a device for its tags, and for its owner only when untagged, matching emails in any case', () => {
    const topology: Topology = {
      users: [
        { id: 1, name: 'alice', email: 'Alice@Example.com' },
        { id: 2, name: 'bob', email: 'bob@example.com' },
      ],
      nodes: {
        laptop: device('laptop', 1, { user: 'alice' }),
        // Bob made it, but a tagged device belongs to its tags.
        web: device('web', 2, { tags: ['tag:web'], user: 'bob' }),
      },
    };
    const policy: PolicyDocument = {
      ...POLICY,
      groups: { 'group:eng': ['alice@example.com'], 'group:ops': ['bob@example.com'] },
    };
    const intents: AccessIntent[] = [
      { src: 'group:eng', dst: 'tag:web', port: 443, expect: 'allow' },
      { src: 'bob@example.com', dst: 'tag:web', port: 443, expect: 'allow' },
      { src: 'group:ops', dst: 'tag:web', port: 443, expect: 'allow' },
    ];
    const derived = derivePolicyTests([{ source: SOURCE, intendedAccess: intents }], policy, topology);
    expect(derived.tests.map(({ test }) => test)).toEqual([{ src: 'group:eng', accept: ['tag:web:443'] }]);
    expect(derived.skipped.map(({ reason }) => reason)).toEqual([
      'bob@example.com has no device yet',
      'group:ops has no device yet',
    ]);
  });
});
