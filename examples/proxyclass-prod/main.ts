import { App, Chart } from 'cdk8s';
import { Connector, ProxyClass, TailscaleOperator } from '@tailkube/cdk8s';

/**
 * A `prod` ProxyClass a platform team sets once (scheduling, resources, metrics) and a Connector
 * that uses it. The ProxyClass carries no tags: the Connector's proxies take the Connector's.
 */
export function buildApp(outdir: string): App {
  const app = new App({ outdir });

  const operatorChart = new Chart(app, 'operator');
  new TailscaleOperator(operatorChart, 'tailscale');

  // Applied after the operator chart: the ProxyClass and Connector CRDs come with it.
  const platformChart = new Chart(app, 'platform');
  const prod = new ProxyClass(platformChart, 'prod', {
    statefulSet: {
      pod: {
        labels: { 'app.kubernetes.io/part-of': 'tailscale' },
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'edge', effect: 'NoSchedule' }],
        priorityClassName: 'system-cluster-critical',
        tailscaleContainer: {
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
        },
      },
    },
    metrics: { enable: true },
  });

  new Connector(platformChart, 'office', {
    subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] },
    tags: ['tag:office-router'],
    proxyClass: prod,
  });

  return app;
}

if (require.main === module) {
  buildApp(process.env['TAILKUBE_OUTDIR'] ?? 'dist/manifests').synth();
}
