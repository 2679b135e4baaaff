import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart, Testing, type App } from 'cdk8s';
import { capabilitiesAt, deriveTopology } from '@tailkube/policy';
import { PeerRelay, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';

// The program in docs/constructs/peer-relay.md, compiled and run here so the page stays true.

// docs:start
/** Two peer relays the tailnet's members may relay through when they cannot connect directly. */
export function buildRelays(app: App): void {
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');

  // Applied after the operator chart: the PeerRelay CRD comes with it.
  const relays = new Chart(app, 'relays');
  const relay = new PeerRelay(relays, 'relay', { replicas: 2, tags: ['tag:peer-relay'] });
  // Members' devices may use the relays; nobody gets network access to them.
  relay.allow(['autogroup:member']);
}
// docs:end

describe('docs/constructs/peer-relay.md', () => {
  test('the page shows this program verbatim', () => {
    const source = fs.readFileSync(__filename, 'utf8');
    const snippet = source.split('// docs:start\n')[1]!.split('// docs:end\n')[0]!;
    const page = fs.readFileSync(path.resolve(__dirname, '../../../docs/constructs/peer-relay.md'), 'utf8');
    expect(page).toContain(`\`\`\`ts\n${snippet}\`\`\``);
  });

  test('the program synthesizes the object and the policy the page shows', () => {
    const app = Testing.app();
    buildRelays(app);
    const objects = app.charts.flatMap((chart) => chart.toJson() as Record<string, unknown>[]);
    expectValidKubeObjects(objects);
    expect(objects.filter((o) => o['kind'] === 'PeerRelay').map((o) => o['spec'])).toStrictEqual([
      { replicas: 2, tags: ['tag:peer-relay'] },
    ]);
    const { document, report } = Tailnet.of(app).synth();
    expect(document.tagOwners).toStrictEqual({
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-operator': [],
      'tag:peer-relay': ['tag:k8s-operator'],
    });
    expect(document.grants).toStrictEqual([
      { src: ['autogroup:member'], dst: ['tag:peer-relay'], app: { 'tailscale.com/cap/relay': [] } },
    ]);
    expect(report.hostnames).toStrictEqual(['relay-0', 'relay-1', 'tailscale-operator']);
    // The page's claim: a member gets the capability at the relay, and no network access to it.
    const topology = deriveTopology(document, ['autogroup:member', 'tag:peer-relay']);
    const member = topology.users[0]!.email;
    expect(
      capabilitiesAt(document, topology, { from: member, to: 'tag:peer-relay' }).capabilities[
        'tailscale.com/cap/relay'
      ],
    ).toStrictEqual([]);
  });
});
