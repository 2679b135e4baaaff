import { canConnect, deriveTopology, type PolicyDocument } from '../../src';

describe('canConnect with via grants', () => {
  const policy: PolicyDocument = {
    tagOwners: { 'tag:exit': [], 'tag:web': [] },
    groups: { 'group:family': ['alice@example.com'] },
    grants: [{ src: ['group:family'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:exit'] }],
    autoApprovers: { exitNode: ['tag:exit'] },
  };

  test('an exit-node grant lets its sources reach the internet', () => {
    const answer = canConnect(policy, undefined, {
      from: 'group:family',
      to: 'autogroup:internet',
      port: 443,
    });
    expect(answer.allowed).toBe(true);
  });

  test('an exit-node grant admits nothing to other devices, though its match covers every address', () => {
    // GIVEN the via match compiles to 0.0.0.0/0, enforced by the exit node only
    // WHEN the family asks for a device that is not the exit node
    const answer = canConnect(policy, undefined, { from: 'group:family', to: 'tag:web', port: 22 });

    // THEN nothing admits it
    expect(answer.allowed).toBe(false);
    expect(answer.explanation).toMatch(/^no rule lets /);
  });

  test('nor to a device asked for by its own address, while an internet address stays reachable', () => {
    // GIVEN a device of tag:web, named by address
    const topology = deriveTopology(policy, ['group:family', 'tag:web', 'tag:exit']);
    const web = Object.values(topology.nodes).find((node) => node.tags.includes('tag:web'))!;

    // THEN the exit node's match reaches neither of its addresses, but does reach the internet
    for (const address of [web.ipv4, web.ipv6]) {
      expect(canConnect(policy, topology, { from: 'group:family', to: address, port: 22 }).allowed).toBe(
        false,
      );
    }
    expect(canConnect(policy, topology, { from: 'group:family', to: '1.1.1.1', port: 443 }).allowed).toBe(
      true,
    );
  });
});

describe('an exit node reached by a via grant to autogroup:internet', () => {
  // tailscale v1.102.3 ipn/ipnlocal/local.go removeFromDefaultRoute: an exit node forwards neither
  // private, link-local and multicast ranges nor Tailscale's own ranges.
  const policy: PolicyDocument = {
    tagOwners: { 'tag:exit': [], 'tag:router': [] },
    groups: { 'group:family': ['alice@example.com'] },
    grants: [{ src: ['group:family'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:exit'] }],
    autoApprovers: { exitNode: ['tag:exit'], routes: { '10.0.0.0/8': ['tag:router'] } },
  };
  const topology = deriveTopology(policy, ['group:family', 'svc:web']);

  test.each([
    ['10.1.2.3', 'RFC 1918'],
    ['172.16.0.1', 'RFC 1918'],
    ['192.168.1.1', 'RFC 1918'],
    ['169.254.1.1', 'link-local'],
    ['224.0.0.251', 'multicast'],
    ['100.100.100.100', 'the Tailscale range'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['fd7a:115c:a1e0::99', 'the Tailscale ULA range'],
  ])('does not reach %s (%s)', (address) => {
    expect(canConnect(policy, topology, { from: 'group:family', to: address, port: 443 }).allowed).toBe(
      false,
    );
  });

  test('does not reach a Tailscale Service, whose VIPs lie in the Tailscale ranges', () => {
    expect(canConnect(policy, topology, { from: 'group:family', to: 'svc:web', port: 443 }).allowed).toBe(
      false,
    );
  });

  test.each(['1.1.1.1', '9.9.9.9', '2606:4700::1111'])('still reaches %s on the internet', (address) => {
    expect(canConnect(policy, topology, { from: 'group:family', to: address, port: 443 }).allowed).toBe(true);
  });

  test('leaves a subnet router for a narrower group correct: the family does not reach its subnet', () => {
    const withRouter: PolicyDocument = {
      ...policy,
      groups: { 'group:family': ['alice@example.com'], 'group:ops': ['ops@example.com'] },
      grants: [...(policy.grants ?? []), { src: ['group:ops'], dst: ['10.0.0.0/8'], ip: ['*'] }],
    };
    const query = { to: '10.1.2.3', port: 22 };
    expect(canConnect(withRouter, undefined, { from: 'group:ops', ...query }).allowed).toBe(true);
    expect(canConnect(withRouter, undefined, { from: 'group:family', ...query }).allowed).toBe(false);
  });
});
