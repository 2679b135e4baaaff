import type { PolicyDocument } from '../../src/document';
import { deriveTopology } from '../../src/engine/derive-topology';
import { canConnect, capabilitiesAt } from '../../src/engine/evaluate';
import { approveServices, isServiceName } from '../../src/engine/services';
import { simulateTailnet } from '../../src/engine/simulate';
import type { Topology } from '../../src/engine/topology';
import { validatePolicy } from '../../src/engine/validate';

// Two ProxyGroup replicas advertise svc:web; only tag:pg is approved to host it.
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
    'bob-laptop': {
      hostname: 'bob-laptop',
      tags: [],
      user: 'bob',
      ipv4: '100.64.0.2',
      ipv6: 'fd7a:115c:a1e0::2',
      routable_ips: [],
    },
    'pg-0': {
      hostname: 'pg-0',
      tags: ['tag:pg'],
      ipv4: '100.64.0.3',
      ipv6: 'fd7a:115c:a1e0::3',
      routable_ips: [],
      services: ['svc:web'],
    },
    'pg-1': {
      hostname: 'pg-1',
      tags: ['tag:pg'],
      ipv4: '100.64.0.4',
      ipv6: 'fd7a:115c:a1e0::4',
      routable_ips: [],
      services: ['svc:web', 'svc:db'],
    },
    rogue: {
      hostname: 'rogue',
      tags: ['tag:other'],
      ipv4: '100.64.0.5',
      ipv6: 'fd7a:115c:a1e0::5',
      routable_ips: [],
      services: ['svc:web'],
    },
  },
  services: {
    'svc:web': { ipv4: '100.80.0.1', ipv6: 'fd7a:115c:a1e0::5000:1' },
    'svc:db': { ipv4: '100.80.0.2', ipv6: 'fd7a:115c:a1e0::5000:2', tags: ['tag:db-svc'] },
  },
};

const POLICY: PolicyDocument = {
  groups: { 'group:eng': ['alice@example.com'] },
  tagOwners: { 'tag:pg': [], 'tag:other': [], 'tag:db-svc': [] },
  grants: [
    { src: ['group:eng'], dst: ['svc:web'], ip: ['tcp:443'] },
    { src: ['bob@example.com'], dst: ['tag:pg'], ip: ['tcp:443'] },
  ],
  autoApprovers: { services: { 'svc:web': ['tag:pg'], 'tag:db-svc': ['tag:pg'] } },
};

describe('Tailscale Services', () => {
  it('approves an advertised service for a tagged device named by its name or by its tag', () => {
    // GIVEN pg-1 advertises svc:db, whose definition carries tag:db-svc, approved for tag:pg
    // WHEN approvals are computed
    // THEN only tag:pg devices host; rogue advertises svc:web but nothing approves tag:other
    expect(approveServices(POLICY, TOPOLOGY)).toEqual({
      'pg-0': ['svc:web'],
      'pg-1': ['svc:db', 'svc:web'],
      rogue: [],
    });
  });

  it('compiles a svc: destination to its VIPs, enforced by every host', () => {
    const simulation = simulateTailnet(POLICY, TOPOLOGY);
    const webRule = {
      protos: [6],
      srcs: ['100.64.0.1/32', 'fd7a:115c:a1e0::1/128'],
      dsts: [
        { net: '100.80.0.1/32', ports: { First: 443, Last: 443 } },
        { net: 'fd7a:115c:a1e0::5000:1/128', ports: { First: 443, Last: 443 } },
      ],
      caps: [],
    };
    expect(simulation.filters['pg-0']).toContainEqual(webRule);
    expect(simulation.filters['pg-1']).toContainEqual(webRule);
    expect(simulation.filters['rogue']).toEqual([]);
    expect(simulation.approvedServices).toEqual({
      'pg-0': ['svc:web'],
      'pg-1': ['svc:db', 'svc:web'],
      rogue: [],
    });
  });

  it('routes the VIP to each host for the devices that may reach the service', () => {
    const simulation = simulateTailnet(POLICY, TOPOLOGY);
    expect(simulation.peers['alice-laptop']).toEqual({
      'pg-0': ['100.64.0.3/32', '100.80.0.1/32', 'fd7a:115c:a1e0::3/128', 'fd7a:115c:a1e0::5000:1/128'],
      'pg-1': ['100.64.0.4/32', '100.80.0.1/32', 'fd7a:115c:a1e0::4/128', 'fd7a:115c:a1e0::5000:1/128'],
    });
    // bob reaches the hosts' own addresses, not the service
    expect(simulation.peers['bob-laptop']).toEqual({
      'pg-0': ['100.64.0.3/32', 'fd7a:115c:a1e0::3/128'],
      'pg-1': ['100.64.0.4/32', 'fd7a:115c:a1e0::4/128'],
    });
  });

  it('tells each host its services and their VIPs (the service-host attribute)', () => {
    const simulation = simulateTailnet(POLICY, TOPOLOGY);
    expect(simulation.nodeAttrs['pg-1']).toEqual({
      'service-host': [
        {
          'svc:db': ['100.80.0.2', 'fd7a:115c:a1e0::5000:2'],
          'svc:web': ['100.80.0.1', 'fd7a:115c:a1e0::5000:1'],
        },
      ],
    });
    expect(simulation.nodeAttrs['rogue']).toEqual({});
  });

  it.each([
    ['group:eng', 'svc:web', 443, true],
    ['group:eng', 'svc:web', 80, false],
    ['alice@example.com', 'svc:web', 443, true],
    // a grant to the hosts' tag does not reach the services they host
    ['bob@example.com', 'svc:web', 443, false],
    ['bob@example.com', 'tag:pg', 443, true],
    ['group:eng', 'tag:pg', 443, false],
  ])('canConnect %s → %s:%d is %s', (from, to, port, allowed) => {
    expect(canConnect(POLICY, TOPOLOGY, { from, to, port }).allowed).toBe(allowed);
  });

  it('explains which rule lets a principal reach a service, and who hosts it', () => {
    expect(canConnect(POLICY, TOPOLOGY, { from: 'group:eng', to: 'svc:web', port: 443 })).toEqual({
      allowed: true,
      explanation:
        'allowed by grants[0] {"src":["group:eng"],"dst":["svc:web"]}; svc:web is hosted by pg-0, pg-1',
      rules: [{ section: 'grants', index: 0 }],
    });
  });

  it('treats `*` as a destination as every address, service VIPs included', () => {
    const policy: PolicyDocument = { ...POLICY, grants: [{ src: ['group:eng'], dst: ['*'], ip: ['*'] }] };
    expect(canConnect(policy, TOPOLOGY, { from: 'group:eng', to: 'svc:web', port: 8080 }).allowed).toBe(true);
    expect(simulateTailnet(policy, TOPOLOGY).peers['alice-laptop']?.['pg-0']).toContain('100.80.0.1/32');
  });

  it('grants capabilities at a service', () => {
    const policy: PolicyDocument = {
      ...POLICY,
      grants: [{ src: ['group:eng'], dst: ['svc:web'], app: { 'example.com/cap/web': [{ role: 'admin' }] } }],
    };
    expect(capabilitiesAt(policy, TOPOLOGY, { from: 'group:eng', to: 'svc:web' }).capabilities).toEqual({
      'example.com/cap/web': [{ role: 'admin' }],
    });
  });

  it('fails when a service is asked to send, or is not in the topology', () => {
    expect(canConnect(POLICY, TOPOLOGY, { from: 'svc:web', to: 'tag:pg', port: 443 })).toEqual({
      allowed: false,
      explanation:
        'svc:web is a Tailscale Service: it can only be a destination (its hosts send from their own addresses)',
      rules: [],
    });
    expect(canConnect(POLICY, TOPOLOGY, { from: 'group:eng', to: 'svc:nope', port: 443 }).explanation).toBe(
      'svc:nope is not a Tailscale Service of the topology (it has no address)',
    );
  });

  describe('derived topology', () => {
    it('gives each service the policy or the checks name a VIP pair, hosted by the tags approved for it', () => {
      const topology = deriveTopology(POLICY, ['svc:api']);
      expect(topology.services).toEqual({
        'svc:api': { ipv4: '100.80.0.1', ipv6: 'fd7a:115c:a1e0::6450:1' },
        'svc:web': { ipv4: '100.80.0.2', ipv6: 'fd7a:115c:a1e0::6450:2' },
      });
      expect(topology.nodes['pg']?.services).toEqual(['svc:web']);
      expect(topology.nodes['other']?.services).toBeUndefined();
    });

    it('answers svc: questions before any device exists', () => {
      expect(canConnect(POLICY, undefined, { from: 'group:eng', to: 'svc:web', port: 443 }).explanation).toBe(
        'allowed by grants[0] {"src":["group:eng"],"dst":["svc:web"]}; svc:web is hosted by pg',
      );
      const denied = canConnect(POLICY, deriveTopology(POLICY, ['svc:api']), {
        from: 'group:eng',
        to: 'svc:api',
        port: 443,
      });
      expect(denied).toEqual({
        allowed: false,
        explanation:
          'no rule lets alice-device (group:eng) reach svc:api (svc:api) on tcp:443; no device hosts svc:api yet (autoApprovers.services approves none that advertises it)',
        rules: [],
      });
    });
  });

  describe('validation', () => {
    it.each(['svc:web', 'svc:a', 'svc:my-app-1'])('accepts the service name %s', (name) => {
      expect(isServiceName(name)).toBe(true);
    });

    it.each(['svc:', 'svc:-web', 'svc:web_1', 'svc:web.example', 'web'])(
      'rejects the service name %s',
      (name) => {
        expect(isServiceName(name)).toBe(false);
      },
    );

    it('accepts svc: destinations and autoApprovers.services keyed by service or declared tag', () => {
      expect(validatePolicy(POLICY)).toEqual({ ok: true });
    });

    it.each<[string, PolicyDocument, string, string]>([
      [
        'a service is a source',
        { grants: [{ src: ['svc:web'], dst: ['*'], ip: ['*'] }] },
        'grants[0].src[0]',
        '"svc:web" is only valid on the dst side of a rule',
      ],
      [
        'a service name is not a DNS label',
        { grants: [{ src: ['*'], dst: ['svc:web_1'], ip: ['*'] }] },
        'grants[0].dst[0]',
        'dst="svc:web_1": "svc:web_1" is not a valid service name',
      ],
      [
        'an autoApprovers.services key is neither a service nor a tag',
        { autoApprovers: { services: { web: [] } } },
        'autoApprovers.services.web',
        '"web" is not a valid service name or tag',
      ],
      [
        'an autoApprovers.services key is an undeclared tag',
        { autoApprovers: { services: { 'tag:svc': [] } } },
        'autoApprovers.services.tag:svc',
        'tag not found: "tag:svc"',
      ],
    ])('fails when %s', (_, policy, path, message) => {
      expect(validatePolicy(policy)).toEqual({ ok: false, errors: [{ path, message }] });
    });
  });
});
