import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart, Testing, type App } from 'cdk8s';
import { ProxyClass, ProxyGroup, ProxyGroupPolicy, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';

// The program in docs/constructs/proxy-group.md, compiled and run here so the page stays true.

// docs:start
/**
 * A platform team's shared proxies: an ingress group for HA Tailscale Services, an egress group,
 * a highly available API server proxy, and a namespace that may use only the shared groups.
 */
export function buildPlatform(app: App): void {
  const operatorChart = new Chart(app, 'operator');
  new TailscaleOperator(operatorChart, 'tailscale');

  // Applied after the operator chart: the ProxyGroup CRD comes with it.
  const platform = new Chart(app, 'platform');
  const prod = new ProxyClass(platform, 'prod');
  const ingress = new ProxyGroup(platform, 'shared-ingress', {
    type: 'ingress',
    replicas: 2,
    tags: ['tag:ingress-ha'],
    proxyClass: prod,
  });
  const egress = new ProxyGroup(platform, 'shared-egress', { type: 'egress', hostnamePrefix: 'egress' });
  new ProxyGroup(platform, 'k8s-api', {
    type: 'kube-apiserver',
    tags: ['tag:k8s-api'],
    kubeAPIServer: { mode: 'auth', hostname: 'k8s' },
  });

  // Services and Ingresses in team-a may use the shared groups and no other.
  const teamA = new Chart(app, 'team-a', { namespace: 'team-a' });
  new ProxyGroupPolicy(teamA, 'shared-proxy-groups', { ingress: [ingress], egress: [egress] });
}
// docs:end

describe('docs/constructs/proxy-group.md', () => {
  test('the page shows this program verbatim', () => {
    const source = fs.readFileSync(__filename, 'utf8');
    const snippet = source.split('// docs:start\n')[1]!.split('// docs:end\n')[0]!;
    const page = fs.readFileSync(path.resolve(__dirname, '../../../docs/constructs/proxy-group.md'), 'utf8');
    expect(page).toContain(`\`\`\`ts\n${snippet}\`\`\``);
  });

  test('the example synthesizes schema-valid objects and the policy the page describes', () => {
    const app = Testing.app();
    buildPlatform(app);
    const objects = app.charts.flatMap((chart) => chart.toJson() as Record<string, unknown>[]);
    expectValidKubeObjects(objects);
    const groups = objects.filter((o) => o['kind'] === 'ProxyGroup').map((o) => o['spec']);
    expect(groups).toStrictEqual([
      { type: 'ingress', replicas: 2, tags: ['tag:ingress-ha'], proxyClass: 'prod' },
      { type: 'egress', replicas: 2, hostnamePrefix: 'egress', tags: ['tag:k8s'] },
      {
        type: 'kube-apiserver',
        replicas: 2,
        tags: ['tag:k8s-api'],
        kubeAPIServer: { mode: 'auth', hostname: 'k8s' },
      },
    ]);
    const { document, report } = Tailnet.of(app).synth();
    expect(document.tagOwners).toStrictEqual({
      'tag:ingress-ha': ['tag:k8s-operator'],
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-api': ['tag:k8s-operator'],
      'tag:k8s-operator': [],
    });
    expect(document.autoApprovers).toStrictEqual({ services: { 'svc:k8s': ['tag:k8s-api'] } });
    expect(report.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core', 'services']);
    expect(report.hostnames).toStrictEqual([
      'egress-0',
      'egress-1',
      'k8s',
      'k8s-api-0',
      'k8s-api-1',
      'shared-ingress-0',
      'shared-ingress-1',
      'tailscale-operator',
    ]);
  });
});
