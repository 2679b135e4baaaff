import '@tailkube/testing/jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestTailnet } from '@tailkube/testing';
import { constructAt, synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

describe('k3s-homelab-expose', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'k3s-homelab-expose-'));

  /** The app, its four exposures and what it synthesizes. */
  function homelab() {
    const app = buildApp(outdir);
    return {
      homeAssistant: constructAt(app, 'apps/home-assistant-tailnet'),
      jellyfin: constructAt(app, 'apps/jellyfin-tailnet'),
      dashboard: constructAt(app, 'apps/my-dashboard'),
      publicApp: constructAt(app, 'apps/my-public-app'),
      result: synthCdk8s(app),
    };
  }

  test('four ways to expose: annotated, LoadBalancer, tailnet Ingress, Funnel Ingress', () => {
    const { objects } = homelab().result;
    expect(objects).toContainObject({
      kind: 'Service',
      metadata: { name: 'home-assistant', annotations: { 'tailscale.com/expose': 'true' } },
    });
    expect(objects).toContainObject({
      kind: 'Service',
      metadata: { name: 'jellyfin-tailscale' },
      spec: { type: 'LoadBalancer', loadBalancerClass: 'tailscale' },
    });
    expect(objects).toContainObject({
      kind: 'Ingress',
      metadata: { name: 'my-dashboard', annotations: { 'tailscale.com/tags': 'tag:homelab-admin' } },
    });
    expect(objects).not.toContainObject({
      kind: 'Ingress',
      metadata: { name: 'my-dashboard', annotations: { 'tailscale.com/funnel': expect.anything() } },
    });
    expect(objects).toContainObject({
      kind: 'Ingress',
      metadata: {
        name: 'my-public-app',
        annotations: { 'tailscale.com/funnel': 'true', 'tailscale.com/tags': 'tag:k8s-funnel' },
      },
    });
  });

  test('the family reaches Home Assistant and Jellyfin on their ports, and nothing else there', () => {
    const { result, homeAssistant, jellyfin } = homelab();
    expect(result).toAllow('group:family', homeAssistant, 8123);
    expect(result).toAllow('bob@example.com', jellyfin, 8096);
    expect(result).toDeny('group:family', homeAssistant, 22);
    expect(result).toDeny('group:family', jellyfin, 443);
  });

  test('only admins reach the dashboard, and the admins grant reaches nothing else', () => {
    const { result, homeAssistant, dashboard } = homelab();
    // carol is an admin outside the family, so only the admins' grant applies to her
    const tailnet = TestTailnet.of(result).withUser('carol@example.com', { groups: ['group:admins'] });
    expect(tailnet).toAllow('alice@example.com', dashboard, 443);
    expect(tailnet).toAllow('carol@example.com', dashboard, 443);
    expect(tailnet).toDeny('bob@example.com', dashboard, 443);
    expect(tailnet).toDeny('carol@example.com', homeAssistant, 8123);
  });

  test('nobody else on the tailnet reaches a service, the public app included', () => {
    const { result, homeAssistant, jellyfin, dashboard, publicApp } = homelab();
    const tailnet = TestTailnet.of(result).withUser('guest@example.com');
    expect(tailnet).toDeny('guest@example.com', homeAssistant, 8123);
    expect(tailnet).toDeny('guest@example.com', jellyfin, 8096);
    expect(tailnet).toDeny('guest@example.com', dashboard, 443);
    // Funnel traffic comes from the internet, not the tailnet: no member is granted the public app
    expect(tailnet).toDeny('group:family', publicApp, 443);
    expect(tailnet).toDeny('group:admins', publicApp, 443);
  });

  test('funnel is given to the Funnel proxy tag alone', () => {
    const { policy } = homelab().result;
    expect(policy.nodeAttrs).toStrictEqual([{ target: ['tag:k8s-funnel'], attr: ['funnel'] }]);
    expect(policy.tagOwners?.['tag:k8s-funnel']).toStrictEqual(['tag:k8s-operator']);
  });
});
