import type { PolicyDocument } from '../../src/document';
import { simulateNodeAttributes, simulateTailnet } from '../../src/engine/simulate';
import type { Topology } from '../../src/engine/topology';
import { device } from '../../../../test/helpers/topology';

const TOPOLOGY: Topology = {
  users: [{ id: 1, name: 'alice', email: 'alice@example.com' }],
  nodes: {
    laptop: device('laptop', 1, { user: 'alice' }),
    web: device('web', 2, { tags: ['tag:web', 'tag:edge'] }),
  },
};

const CAP = 'example.com/cap/tier';

describe('nodeAttributes', () => {
  const policy: PolicyDocument = {
    tagOwners: { 'tag:web': [], 'tag:edge': [] },
    grants: [{ src: ['*'], dst: ['*'], ip: ['*'] }],
    nodeAttrs: [
      // Two selectors naming the same device: the entry applies to it once.
      { target: ['tag:web', 'tag:edge'], app: { [CAP]: [{ tier: 1 }] } },
      { target: ['*'], app: { [CAP]: [{ tier: 2 }] } },
      { target: ['tag:web'], attr: ['funnel'] },
      { target: ['alice@example.com'], attr: [CAP] },
    ],
  };

  test('applies each entry once to each device its targets name, in entry order', () => {
    const attributes = simulateNodeAttributes(policy, TOPOLOGY);
    expect(attributes['web']?.[CAP]).toEqual([{ tier: 1 }, { tier: 2 }]);
    expect(attributes['web']?.['funnel']).toBeNull();
    // A bare attribute after a capability of the same name leaves it bare.
    expect(attributes['laptop']?.[CAP]).toBeNull();
    expect(attributes['laptop']?.['funnel']).toBeUndefined();
  });

  test('gives what the whole simulation gives', () => {
    expect(simulateNodeAttributes(policy, TOPOLOGY)).toEqual(simulateTailnet(policy, TOPOLOGY).nodeAttrs);
  });

  test('gives nothing for a policy the control plane would refuse', () => {
    expect(
      simulateNodeAttributes(
        { ...policy, nodeAttrs: [{ target: ['tag:nope'], attr: ['funnel'] }] },
        TOPOLOGY,
      ),
    ).toEqual({});
  });
});
