import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Tailnet } from '@tailkube/cdk8s';
import { canConnect, deriveTopology } from '@tailkube/core';
import { buildApp } from '../main';

/** The app's objects, by `Kind/name`, and its tailnet policy. */
function synth() {
  const app = buildApp(fs.mkdtempSync(path.join(os.tmpdir(), 'k3s-homelab-expose-')));
  const objects = new Map<string, Record<string, unknown>>();
  for (const chart of app.charts) {
    for (const object of chart.toJson() as { kind: string; metadata: { name: string } }[]) {
      objects.set(`${object.kind}/${object.metadata.name}`, object);
    }
  }
  return { objects, policy: Tailnet.of(app).synth().document };
}

describe('k3s-homelab-expose', () => {
  test('four ways to expose: annotated, LoadBalancer, tailnet Ingress, Funnel Ingress', () => {
    const { objects } = synth();
    const annotations = (key: string) =>
      (objects.get(key)?.['metadata'] as { annotations?: Record<string, string> }).annotations;
    expect(annotations('Service/home-assistant')?.['tailscale.com/expose']).toBe('true');
    expect(objects.get('Service/jellyfin-tailscale')?.['spec']).toMatchObject({
      type: 'LoadBalancer',
      loadBalancerClass: 'tailscale',
    });
    expect(annotations('Ingress/my-dashboard')).toStrictEqual({ 'tailscale.com/tags': 'tag:homelab-admin' });
    expect(annotations('Ingress/my-public-app')).toStrictEqual({
      'tailscale.com/funnel': 'true',
      'tailscale.com/tags': 'tag:k8s-funnel',
    });
  });

  test('the family reaches its services, only admins reach the dashboard', () => {
    const { policy } = synth();
    const topology = deriveTopology(policy);
    const can = (from: string, to: string, port: number) =>
      canConnect(policy, topology, { from, to, port }).allowed;
    expect({
      bobToHomeAssistant: can('bob@example.com', 'tag:k8s', 8123),
      bobToJellyfin: can('bob@example.com', 'tag:k8s', 8096),
      bobToDashboard: can('bob@example.com', 'tag:homelab-admin', 443),
      aliceToDashboard: can('alice@example.com', 'tag:homelab-admin', 443),
    }).toStrictEqual({
      bobToHomeAssistant: true,
      bobToJellyfin: true,
      bobToDashboard: false,
      aliceToDashboard: true,
    });
  });

  test('funnel is given to the Funnel proxy tag alone', () => {
    const { policy } = synth();
    expect(policy.nodeAttrs).toStrictEqual([{ target: ['tag:k8s-funnel'], attr: ['funnel'] }]);
    expect(policy.tagOwners?.['tag:k8s-funnel']).toStrictEqual(['tag:k8s-operator']);
  });
});
