import { ApiObject, App, Chart } from 'cdk8s';
import {
  Connector,
  OperatorTailnet,
  PeerRelay,
  Tailnet,
  TailscaleIngress,
  TailscaleOperator,
} from '@tailkube/cdk8s';

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

  test('so are a PeerRelay and an OperatorTailnet, custom resources of the same chart', () => {
    const warnings = reportWarnings((app) => {
      const chart = new Chart(app, 'operator');
      new TailscaleOperator(chart, 'tailscale');
      new PeerRelay(chart, 'relay').allow(['group:ops']);
      new OperatorTailnet(chart, 'staging', { credentials: { secretName: 'staging-oauth' } });
    });
    expect(warnings.filter((warning) => warning.includes('installs its CRD'))).toStrictEqual([
      expect.stringMatching(/^OperatorTailnet 'operator\/staging': it is in "operator"/),
      expect.stringMatching(/^PeerRelay 'operator\/relay': it is in "operator"/),
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

describe('an Ingress backend on a port its Service does not serve', () => {
  /** An app with a `web` Service in namespace `apps` (port 80 named `http`) and an Ingress to it. */
  function withBackend(port: number | string): readonly string[] {
    return reportWarnings((app) => {
      new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
      const apps = new Chart(app, 'apps', { namespace: 'apps' });
      new ApiObject(apps, 'web-service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, name: 'http' }] },
      });
      new TailscaleIngress(apps, 'web', {
        tags: ['tag:web'],
        defaultBackend: { serviceName: 'web', port },
      }).allow(['group:ops']);
    });
  }

  test('a port number it does not have is reported', () => {
    expect(withBackend(8080)).toStrictEqual([
      `TailscaleIngress 'apps/web': \`defaultBackend\` sends traffic to port 8080 of Service "apps/web", which the program declares with ports 80 (http); the Ingress would proxy to nothing`,
    ]);
  });

  test('a port name it does not have is reported', () => {
    expect(withBackend('grpc')).toHaveLength(1);
  });

  test.each([80, 'http'])('port %s, which it serves, is fine', (port) => {
    expect(withBackend(port)).toStrictEqual([]);
  });
});
