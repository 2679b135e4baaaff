import '@tailkube/testing/jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestTailnet } from '@tailkube/testing';
import { constructAt, synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

const DASHBOARDS = ['grafana', 'prometheus', 'alertmanager'];

describe('ha-ingress', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ha-ingress-'));

  /** The app, its ProxyGroup, its Ingresses and what it synthesizes. */
  function monitoring() {
    const app = buildApp(outdir);
    return {
      group: constructAt(app, 'platform/ingress-proxies'),
      ingresses: DASHBOARDS.map((name) => constructAt(app, `monitoring/${name}`)),
      result: synthCdk8s(app),
    };
  }

  test('three Ingresses on one ProxyGroup of two replicas, answering http with a redirect', () => {
    const { objects } = monitoring().result;
    expect(objects).toContainObject({
      kind: 'ProxyGroup',
      metadata: { name: 'ingress-proxies' },
      spec: { type: 'ingress', replicas: 2, tags: ['tag:ingress-proxies'] },
    });
    for (const name of DASHBOARDS) {
      expect(objects).toContainObject({
        kind: 'Ingress',
        metadata: {
          name,
          namespace: 'monitoring',
          annotations: {
            'tailscale.com/proxy-group': 'ingress-proxies',
            'tailscale.com/http-redirect': 'true',
          },
        },
      });
    }
  });

  test('two devices instead of three: the Ingresses are Tailscale Services on the group', () => {
    const { result, group, ingresses } = monitoring();
    const tailnet = TestTailnet.of(result);
    expect(tailnet.identityOf(group).devices).toStrictEqual(['ingress-proxies-0', 'ingress-proxies-1']);
    expect(ingresses.map((ingress) => tailnet.identityOf(ingress))).toMatchObject([
      { services: ['svc:grafana'], devices: [] },
      { services: ['svc:prometheus'], devices: [] },
      { services: ['svc:alertmanager'], devices: [] },
    ]);
  });

  test('each Tailscale Service is approved for the group, with the services scope', () => {
    const { policy, requirements } = monitoring().result;
    expect(policy.autoApprovers?.services).toStrictEqual({
      'svc:alertmanager': ['tag:ingress-proxies'],
      'svc:grafana': ['tag:ingress-proxies'],
      'svc:prometheus': ['tag:ingress-proxies'],
    });
    expect(requirements.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core', 'services']);
  });

  test('SRE reaches every dashboard, over HTTPS and the HTTP redirect, and no other port', () => {
    const { result, ingresses } = monitoring();
    for (const ingress of ingresses) {
      expect(result).toAllow('group:sre', ingress, 443);
      expect(result).toAllow('carol@example.com', ingress, 80);
      expect(result).toDeny('group:sre', ingress, 22);
    }
  });

  test('nobody else reaches a dashboard, and SRE does not reach the proxies themselves', () => {
    const { result, group, ingresses } = monitoring();
    const tailnet = TestTailnet.of(result).withUser('dave@example.com');
    for (const ingress of ingresses) {
      expect(tailnet).toDeny('dave@example.com', ingress, 443);
      expect(tailnet).toDeny('dave@example.com', ingress, 80);
    }
    expect(tailnet).toDeny('group:sre', group, 443);
  });
});
