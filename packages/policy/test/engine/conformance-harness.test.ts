import { inputTopology, loadCaptures, registrationOrders, type CaptureCase } from './captures';
import { compareCase } from './conformance';

/** The harness treats the unrecorded registration order as a free input; it must still be able to fail. */
describe('the conformance harness', () => {
  const capture = loadCaptures('routes').find(
    (candidate) => candidate.id === 'routes-e3-ha-secondary-no-route-in-allowedips',
  );
  if (capture === undefined) throw new Error('capture routes-e3 is missing');
  const approved = Object.fromEntries(
    Object.entries(capture.topology.nodes).map(([name, node]) => [name, node.approved_routes ?? []]),
  );

  it('tries every order of the routers sharing a route, in their own slots, the recorded order first', () => {
    const orders = registrationOrders(inputTopology(capture), approved).map((topology) =>
      Object.keys(topology.nodes),
    );
    const names = Object.keys(capture.topology.nodes);
    expect(orders[0]).toEqual(names);
    expect(orders).toHaveLength(2);
    expect(orders[1]).toEqual(
      names.map((name) => (name === 'butterfree' ? 'metapod' : name === 'metapod' ? 'butterfree' : name)),
    );
  });

  it('agrees with the recorded peers, which some order explains', () => {
    expect(compareCase(capture).disagreements.peers).toBeUndefined();
  });

  it('never agrees when a shared route is listed on both routers at once', () => {
    const netmaps = capture.netmaps ?? {};
    const beedrill = netmaps['beedrill'];
    if (beedrill === undefined) throw new Error('routes-e3 has no netmap for beedrill');
    const butterfree = [...(beedrill.peers['butterfree'] ?? []), '192.168.1.0/24'];
    const doctored: CaptureCase = {
      ...capture,
      netmaps: { ...netmaps, beedrill: { ...beedrill, peers: { ...beedrill.peers, butterfree } } },
    };
    expect(compareCase(doctored).disagreements.peers).toMatch(/^beedrill: /);
  });
});
