import type { PolicyDocument } from '../../src/document';
import { canConnect, capabilitiesAt, evaluate } from '../../src/engine/evaluate';
import type { Topology } from '../../src/engine/topology';

const POLICY: PolicyDocument = {
  groups: { 'group:eng': ['alice@example.com'], 'group:ops': ['bob@example.com'] },
  hosts: { nas: '192.168.1.10' },
  tagOwners: { 'tag:k8s': ['group:eng'], 'tag:router': ['group:eng'] },
  acls: [{ action: 'accept', src: ['group:eng'], dst: ['tag:k8s:443'] }],
  grants: [
    {
      src: ['group:ops'],
      dst: ['tag:k8s'],
      ip: ['tcp:22'],
      app: { 'tailscale.com/cap/kubernetes': [{ impersonate: { groups: ['system:masters'] } }] },
    },
    { src: ['autogroup:member'], dst: ['nas'], ip: ['tcp:445'] },
    { src: ['autogroup:member'], dst: ['autogroup:self'], ip: ['*'] },
  ],
  autoApprovers: { routes: { '192.168.1.0/24': ['tag:router'] } },
};

const TOPOLOGY: Topology = {
  users: [
    { id: 1, name: 'alice', email: 'alice@example.com' },
    { id: 2, name: 'bob', email: 'bob@example.com' },
  ],
  nodes: {
    'alice-laptop': {
      hostname: 'alice-laptop',
      tags: [],
      user: 'alice',
      ipv4: '100.64.0.1',
      ipv6: 'fd7a:115c:a1e0::1',
      routable_ips: [],
    },
    'alice-phone': {
      hostname: 'alice-phone',
      tags: [],
      user: 'alice',
      ipv4: '100.64.0.4',
      ipv6: 'fd7a:115c:a1e0::4',
      routable_ips: [],
    },
    'bob-laptop': {
      hostname: 'bob-laptop',
      tags: [],
      user: 'bob',
      ipv4: '100.64.0.2',
      ipv6: 'fd7a:115c:a1e0::2',
      routable_ips: [],
    },
    cluster: {
      hostname: 'cluster',
      tags: ['tag:k8s'],
      ipv4: '100.64.0.3',
      ipv6: 'fd7a:115c:a1e0::3',
      routable_ips: [],
    },
    router: {
      hostname: 'router',
      tags: ['tag:router'],
      ipv4: '100.64.0.5',
      ipv6: 'fd7a:115c:a1e0::5',
      routable_ips: ['192.168.1.0/24'],
    },
  },
};

describe('canConnect', () => {
  it.each([
    ['group:eng', 'tag:k8s', 443, undefined, true],
    ['alice@example.com', 'tag:k8s', 443, 'tcp', true],
    ['group:eng', 'tag:k8s', 443, 'udp', true],
    ['group:eng', 'tag:k8s', 22, undefined, false],
    ['group:ops', 'tag:k8s', 22, undefined, true],
    ['group:ops', 'tag:k8s', 22, 'udp', false],
    ['group:ops', 'tag:k8s', 443, undefined, false],
    ['autogroup:member', 'nas', 445, undefined, true],
    ['100.64.0.2', '192.168.1.10', 445, undefined, true],
    ['tag:k8s', 'nas', 445, undefined, false],
    ['alice@example.com', 'alice@example.com', 8080, undefined, true],
    ['bob@example.com', 'alice@example.com', 8080, undefined, false],
  ])('answers %s → %s:%d (%s) with %s', (from, to, port, proto, allowed) => {
    const answer = canConnect(POLICY, TOPOLOGY, {
      from,
      to,
      port,
      ...(proto === undefined ? {} : { proto }),
    });
    expect(answer.allowed).toBe(allowed);
  });

  it('names the rule that allowed the connection', () => {
    const answer = canConnect(POLICY, TOPOLOGY, { from: 'group:eng', to: 'tag:k8s', port: 443 });
    expect(answer.rules).toEqual([{ section: 'acls', index: 0 }]);
    expect(answer.explanation).toBe('allowed by acls[0] {"src":["group:eng"],"dst":["tag:k8s:443"]}');
  });

  it('names the pair no rule admits', () => {
    const answer = canConnect(POLICY, TOPOLOGY, { from: 'group:eng', to: 'tag:k8s', port: 22 });
    expect(answer.explanation).toBe(
      'no rule lets alice-laptop (group:eng) reach cluster (tag:k8s) on tcp:22',
    );
    expect(answer.rules).toEqual([]);
  });

  it.each([
    ['tag:nobody', 'tag:nobody names no device'],
    ['svc:api', 'svc:api is not a Tailscale Service of the topology (it has no address)'],
    ['nosuchhost', 'nosuchhost is not defined in `hosts`/`ipsets`'],
  ])('fails when the destination %s cannot be resolved', (to, explanation) => {
    expect(canConnect(POLICY, TOPOLOGY, { from: 'group:eng', to, port: 1 })).toEqual({
      allowed: false,
      explanation,
      rules: [],
    });
  });

  it('derives a topology from the policy when none is given', () => {
    expect(canConnect(POLICY, undefined, { from: 'group:eng', to: 'tag:k8s', port: 443 }).allowed).toBe(true);
    expect(canConnect(POLICY, undefined, { from: 'group:eng', to: 'tag:k8s', port: 444 }).allowed).toBe(
      false,
    );
  });
});

describe('capabilitiesAt', () => {
  it('lists the capabilities a grant gives and the rule that gives them', () => {
    expect(capabilitiesAt(POLICY, TOPOLOGY, { from: 'group:ops', to: 'tag:k8s' })).toEqual({
      capabilities: { 'tailscale.com/cap/kubernetes': [{ impersonate: { groups: ['system:masters'] } }] },
      explanation: expect.stringContaining('granted by grants[0]') as unknown as string,
      rules: [{ section: 'grants', index: 0 }],
    });
  });

  it('lists none for a principal no grant names', () => {
    expect(capabilitiesAt(POLICY, TOPOLOGY, { from: 'group:eng', to: 'tag:k8s' })).toEqual({
      capabilities: {},
      explanation: 'no rule grants group:eng any capability at tag:k8s',
      rules: [],
    });
  });
});

describe('evaluate', () => {
  it('answers a connection query when a port is given', () => {
    expect(
      evaluate(POLICY, { from: 'group:eng', to: 'tag:k8s', port: 443, topology: TOPOLOGY }).allowed,
    ).toBe(true);
  });

  it('answers a capability query when no port is given', () => {
    expect(
      Object.keys(evaluate(POLICY, { from: 'group:ops', to: 'tag:k8s', topology: TOPOLOGY }).capabilities),
    ).toEqual(['tailscale.com/cap/kubernetes']);
  });
});

describe('canConnect to autogroup:internet', () => {
  const policy: PolicyDocument = {
    groups: { 'group:family': ['kid@example.com'], 'group:eng': ['alice@example.com'] },
    tagOwners: { 'tag:exit': [] },
    grants: [
      { src: ['group:family'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:exit'] },
      { src: ['group:eng'], dst: ['autogroup:internet'], ip: ['tcp:443'] },
    ],
    autoApprovers: { exitNode: ['tag:exit'] },
  };

  it.each([
    // via the exit node the policy approves (the derived device advertises its exit routes)
    ['group:family', 443, true, 'allowed by grants[0] {"src":["group:family"],"dst":["autogroup:internet"]}'],
    // any exit node, on the ports granted
    ['group:eng', 443, true, 'allowed by grants[1] {"src":["group:eng"],"dst":["autogroup:internet"]}'],
    [
      'group:eng',
      80,
      false,
      'no rule lets alice-device (group:eng) reach an internet address (autogroup:internet) on tcp:80',
    ],
  ])('%s on %d is %s', (from, port, allowed, explanation) => {
    expect(canConnect(policy, undefined, { from, to: 'autogroup:internet', port })).toEqual({
      allowed,
      explanation,
      rules: allowed ? [{ section: 'grants', index: from === 'group:family' ? 0 : 1 }] : [],
    });
  });

  it('is not reached through an exit node nothing approves', () => {
    const unapproved: PolicyDocument = { ...policy, autoApprovers: {} };
    expect(
      canConnect(unapproved, undefined, { from: 'group:family', to: 'autogroup:internet', port: 443 })
        .allowed,
    ).toBe(false);
  });
});
