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
