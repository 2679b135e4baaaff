import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart, Testing, type App } from 'cdk8s';
import { Connector, OperatorTailnet, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';
import { readTree, tempDir } from '../../../test/helpers/synth';

// The program in docs/constructs/operator-tailnet.md, compiled and run here so the page stays true.

// docs:start
/** A subnet router on a staging tailnet, managed by the production cluster's operator. */
export function buildStaging(app: App): void {
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');

  const tailnets = new Chart(app, 'tailnets');
  const staging = new OperatorTailnet(tailnets, 'staging', {
    // A Secret in the operator's namespace with `client_id` and `client_secret`.
    credentials: { secretName: 'staging-operator-oauth' },
    // The staging tailnet's own policy, which defines its groups.
    basePolicy: '{"groups": {"group:qa": ["qa@example.com"]}, "grants": []}',
  });
  const lab = new Connector(tailnets, 'lab', {
    subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] },
    tags: ['tag:lab-router'],
    operatorTailnet: staging,
  });
  lab.allow(['group:qa']);
}
// docs:end

describe('docs/constructs/operator-tailnet.md', () => {
  test('the page shows this program verbatim', () => {
    const source = fs.readFileSync(__filename, 'utf8');
    const snippet = source.split('// docs:start\n')[1]!.split('// docs:end\n')[0]!;
    const page = fs.readFileSync(
      path.resolve(__dirname, '../../../docs/constructs/operator-tailnet.md'),
      'utf8',
    );
    expect(page).toContain(`\`\`\`ts\n${snippet}\`\`\``);
  });

  test('the program writes the staging policy apart from the main one', () => {
    const outdir = tempDir('operator-tailnet-docs');
    const app = Testing.app({ outdir });
    buildStaging(app);
    const objects = app.charts.flatMap((chart) => chart.toJson() as Record<string, unknown>[]);
    expectValidKubeObjects(objects);
    app.synth();
    const files = readTree(outdir);
    const { document, report } = Tailnet.of(app).synth();
    // Nothing of the staging tailnet in the main policy.
    expect(document.grants ?? []).toStrictEqual([]);
    expect(document.autoApprovers).toBeUndefined();
    expect(document.tagOwners).toStrictEqual({ 'tag:k8s': ['tag:k8s-operator'], 'tag:k8s-operator': [] });
    expect(report.tailnets).toStrictEqual({
      staging: {
        secretName: 'staging-operator-oauth',
        client: { scopes: ['auth_keys', 'devices:core', 'services:read'], tags: ['tag:k8s-operator'] },
        tagOwners: { 'tag:k8s-operator': [], 'tag:lab-router': ['tag:k8s-operator'] },
        hostnames: ['lab-connector'],
        policy: {
          groups: { 'group:qa': ['qa@example.com'] },
          grants: [{ src: ['group:qa'], dst: ['10.20.0.0/16'], ip: ['*'] }],
          tagOwners: { 'tag:k8s-operator': [], 'tag:lab-router': ['tag:k8s-operator'] },
          autoApprovers: { routes: { '10.20.0.0/16': ['tag:lab-router'] } },
        },
        // Checked offline against the staging policy: QA reaches the lab, other members do not.
        intendedAccess: [
          { src: 'group:qa', dst: '10.20.0.1', port: 443, expect: 'allow' },
          { src: 'autogroup:member', dst: '10.20.0.1', port: 443, expect: 'deny' },
        ],
      },
    });
    expect(files['tailnet-policy.staging.hujson']).toContain('"10.20.0.0/16"');
    expect(files['tailnet-policy.hujson']).not.toContain('10.20.0.0/16');
  });
});
