import { App, Chart } from 'cdk8s';
import { ProxyGroup, TailscaleIngress, TailscaleOperator, Tailnet } from '@tailkube/cdk8s';

/** The tailnet policy the cluster joins; tailkube adds what the program needs. */
export const basePolicy = `{
  "groups": {
    "group:admins": ["alice@example.com"],
    "group:sre": ["alice@example.com", "carol@example.com"],
  },
  "tagOwners": {
    // Admins own the operator's tag; tailkube adds every proxy tag under it.
    "tag:k8s-operator": ["group:admins"],
  },
}
`;

/** The monitoring dashboards served from the shared ProxyGroup: name, backend Service and port. */
const DASHBOARDS = [
  { name: 'grafana', port: 3000 },
  { name: 'prometheus', port: 9090 },
  { name: 'alertmanager', port: 9093 },
] as const;

/**
 * Three monitoring UIs on one ingress ProxyGroup with two replicas: each Ingress becomes the
 * Tailscale Service `svc:<hostname>`, served by both replicas (high availability) and approved for
 * the group's tag, so no service waits for a click in the admin console.
 */
export function buildApp(outdir: string): App {
  const app = new App({ outdir });
  new Tailnet(app, 'Tailnet', { basePolicy, allowAll: 'deny' });

  const operatorChart = new Chart(app, 'operator');
  new TailscaleOperator(operatorChart, 'tailscale');

  // Applied after the operator chart: the ProxyGroup CRD comes with it.
  const platform = new Chart(app, 'platform');
  const ingressProxies = new ProxyGroup(platform, 'ingress-proxies', {
    type: 'ingress',
    replicas: 2,
    tags: ['tag:ingress-proxies'],
  });

  const monitoring = new Chart(app, 'monitoring', { namespace: 'monitoring' });
  for (const dashboard of DASHBOARDS) {
    new TailscaleIngress(monitoring, dashboard.name, {
      hostname: dashboard.name,
      defaultBackend: { serviceName: dashboard.name, port: dashboard.port },
      proxyGroup: ingressProxies,
      // Plain http://<name> from a browser is answered with a redirect to https://.
      httpRedirect: true,
    }).allow(['group:sre']);
  }

  return app;
}

if (require.main === module) {
  buildApp(process.env['TAILKUBE_OUTDIR'] ?? 'dist/manifests').synth();
}
