// The snippets of docs/constructs/tailscale-service.md, compiled and run here so they stay true.
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { ProxyGroup, Tailnet, TailscaleOperator, TailscaleService } from '@tailkube/cdk8s';

/** docs: "Example" — the three mechanisms side by side, and who may reach each. */
function buildApp(outdir: string): App {
  const app = new App({ outdir });
  new Tailnet(app, 'Tailnet', {
    allowAll: 'deny',
    basePolicy: `{
      "groups": { "group:eng": ["alice@example.com"], "group:dba": ["bob@example.com"] },
      "tagOwners": { "tag:k8s-operator": ["group:eng"] },
    }`,
  });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  const apps = new Chart(app, 'apps', { namespace: 'apps' });

  // 1. annotate: a Service this program owns gets `tailscale.com/expose` and friends.
  const web = new ApiObject(apps, 'web-service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  new TailscaleService(apps, 'web', { service: web, tags: ['tag:web'] }).allow(['group:eng']);

  // 2. load-balancer on an ingress ProxyGroup: a companion Service selects the same pods, and the
  //    group's two devices serve it as the Tailscale Service svc:dashboard.
  const ingress = new ProxyGroup(new Chart(app, 'proxies'), 'ingress', {
    type: 'ingress',
    tags: ['tag:ingress'],
  });
  const dashboard = new ApiObject(apps, 'dashboard-service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'dashboard' },
    spec: { clusterIP: 'None', selector: { app: 'dashboard' }, ports: [{ port: 3000 }] },
  });
  new TailscaleService(apps, 'dashboard', {
    service: dashboard, // headless: annotating it would be refused; a companion has a cluster IP
    mechanism: 'load-balancer',
    proxyGroup: ingress,
    hostname: 'dashboard',
  }).allow(['group:eng']);

  // 3. external-name: a Service a Helm chart creates, known only by name (standalone only).
  new TailscaleService(apps, 'postgres', {
    service: { name: 'postgres', namespace: 'db' },
    ports: [{ port: 5432 }],
    tags: ['tag:db'],
  }).allow(['group:dba']);
  return app;
}

describe('docs/constructs/tailscale-service.md', () => {
  test('the example synthesizes, and its policy is the one the page shows', () => {
    const app = buildApp(Testing.app().outdir);
    const { document } = Tailnet.of(app).synth();
    expect(document.grants).toStrictEqual([
      { src: ['group:eng'], dst: ['svc:dashboard'], ip: ['tcp:3000'] },
      { src: ['group:dba'], dst: ['tag:db'], ip: ['tcp:5432'] },
      { src: ['group:eng'], dst: ['tag:web'], ip: ['tcp:80'] },
    ]);
    expect(document.autoApprovers).toStrictEqual({ services: { 'svc:dashboard': ['tag:ingress'] } });
    expect(document.tagOwners).toStrictEqual({
      'tag:db': ['tag:k8s-operator'],
      'tag:ingress': ['tag:k8s-operator'],
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-operator': ['group:eng'],
      'tag:web': ['tag:k8s-operator'],
    });
  });
});
