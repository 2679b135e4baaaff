import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProxyGroup, TailscaleIngress, Tailnet } from '@tailkube/cdk8s';
import { canConnect, deriveTopology } from '@tailkube/core';
import { buildApp } from '../main';

function synth() {
  const app = buildApp(fs.mkdtempSync(path.join(os.tmpdir(), 'ha-ingress-')));
  const constructs = app.node.findAll();
  return {
    group: constructs.find((c): c is ProxyGroup => c instanceof ProxyGroup)!,
    ingresses: constructs.filter((c): c is TailscaleIngress => c instanceof TailscaleIngress),
    synthesis: Tailnet.of(app).synth(),
  };
}

describe('ha-ingress', () => {
  test('three Ingresses on one ProxyGroup: two proxy pods and devices instead of three', () => {
    const { group, ingresses } = synth();
    expect(group.replicas).toBe(2);
    expect(group.hostnames).toStrictEqual(['ingress-proxies-0', 'ingress-proxies-1']);
    expect(ingresses.map((i) => [i.hostname, i.props.proxyGroup?.name])).toStrictEqual([
      ['grafana', 'ingress-proxies'],
      ['prometheus', 'ingress-proxies'],
      ['alertmanager', 'ingress-proxies'],
    ]);
  });

  test('each Tailscale Service is approved for the group, with the services scope', () => {
    const { synthesis } = synth();
    expect(synthesis.document.autoApprovers?.services).toStrictEqual({
      'svc:alertmanager': ['tag:ingress-proxies'],
      'svc:grafana': ['tag:ingress-proxies'],
      'svc:prometheus': ['tag:ingress-proxies'],
    });
    expect(synthesis.report.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core', 'services']);
  });

  test('SRE reaches every dashboard, HTTPS and the HTTP redirect; nobody else does', () => {
    const { synthesis } = synth();
    const policy = synthesis.document;
    const topology = deriveTopology(policy, ['dave@example.com']);
    for (const service of ['svc:grafana', 'svc:prometheus', 'svc:alertmanager']) {
      const can = (from: string, port: number) =>
        canConnect(policy, topology, { from, to: service, port }).allowed;
      expect([
        can('carol@example.com', 443),
        can('carol@example.com', 80),
        can('dave@example.com', 443),
      ]).toStrictEqual([true, true, false]);
    }
  });
});
