import { App, Chart } from 'cdk8s';
import { Connector, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';

/** The synth report's warnings for an app built by `build`. */
function reportWarnings(build: (app: App) => void): readonly string[] {
  const app = new App({ outdir: '/tmp/tailkube-unused' });
  new Tailnet(app, 'Tailnet', {
    allowAll: 'deny',
    basePolicy: '{"groups": {"group:ops": ["alice@example.com"]}}',
  });
  build(app);
  return Tailnet.of(app).synth().report.warnings ?? [];
}

describe('silent no-ops in the cdk8s synth report', () => {
  test('a Connector in the operator chart is reported: its CRD comes with that chart', () => {
    const warnings = reportWarnings((app) => {
      const chart = new Chart(app, 'operator');
      new TailscaleOperator(chart, 'tailscale');
      new Connector(chart, 'office', {
        subnetRouter: { advertiseRoutes: ['10.0.0.0/24'] },
        tags: ['tag:office'],
      }).allow(['group:ops']);
    });
    expect(warnings).toStrictEqual([
      `Connector 'operator/office': it is in "operator", the chart of TailscaleOperator 'operator/tailscale', whose chart installs its CRD; applied together, the API server refuses it before the CRD exists. Put it in a chart applied after the operator's`,
    ]);
  });

  test('in a chart of its own, and allowed, it is not', () => {
    const warnings = reportWarnings((app) => {
      new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
      new Connector(new Chart(app, 'network'), 'office', {
        subnetRouter: { advertiseRoutes: ['10.0.0.0/24'] },
        tags: ['tag:office'],
      }).allow(['group:ops']);
    });
    expect(warnings).toStrictEqual([]);
  });
});
