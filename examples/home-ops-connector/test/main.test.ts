import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canConnect, capabilitiesAt, deriveTopology } from '@tailkube/core';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

describe('home-ops-connector', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-connector-'));

  test('the Connector is cluster-scoped and carries its tags', () => {
    const { objects } = synthCdk8s(buildApp(outdir));
    const connector = objects.find((o) => o.kind === 'Connector');
    expect(connector).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'Connector',
      metadata: { name: 'home-ops', labels: { 'app.kubernetes.io/managed-by': 'tailkube' } },
      spec: {
        subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
        exitNode: true,
        tags: ['tag:home-ops'],
      },
    });
  });

  test('routes and exit node are approved for exactly the Connector tag', () => {
    const { policy } = synthCdk8s(buildApp(outdir));
    expect(policy.autoApprovers).toStrictEqual({
      routes: {
        '10.244.0.0/16': ['tag:home-ops'],
        '10.96.0.0/12': ['tag:home-ops'],
        '192.168.0.0/24': ['tag:home-ops'],
      },
      exitNode: ['tag:home-ops'],
    });
    expect(policy.tagOwners).toStrictEqual({
      'tag:k8s-operator': ['group:admins'],
      'tag:home-ops': ['tag:k8s-operator'],
      'tag:k8s': ['tag:k8s-operator'],
    });
  });

  test('the family may use the routes, the exit node and read-only kubectl, and nothing more is granted', () => {
    const { policy } = synthCdk8s(buildApp(outdir));
    const kubernetes = (groups: string[]) => ({
      'tailscale.com/cap/kubernetes': [{ impersonate: { groups } }],
    });
    expect(policy.grants).toStrictEqual([
      { src: ['group:admins'], dst: ['tag:k8s-operator'], ip: ['tcp:443'], app: kubernetes(['home-admins']) },
      {
        src: ['group:family'],
        dst: ['tag:k8s-operator'],
        ip: ['tcp:443'],
        app: kubernetes(['home-readers']),
      },
      { src: ['group:family'], dst: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'], ip: ['*'] },
      { src: ['group:family'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:home-ops'] },
    ]);
  });

  test('the operator runs the API server proxy; admins and family groups are bound by RBAC', () => {
    const { objects, policy } = synthCdk8s(buildApp(outdir));
    const release = objects.find((o) => o.kind === 'HelmRelease') as unknown as {
      spec: { values: Record<string, unknown> };
    };
    expect(release.spec.values['apiServerProxyConfig']).toStrictEqual({ mode: 'true' });
    expect(
      objects
        .filter((o) => o.kind === 'ClusterRoleBinding')
        .map((o) => [o.metadata.name, (o['roleRef'] as { name: string }).name]),
    ).toStrictEqual([
      ['kubectl-home-admins-cluster-admin', 'cluster-admin'],
      ['kubectl-home-readers-view', 'view'],
    ]);
    const topology = deriveTopology(policy, ['bob@example.com', 'tag:home-ops']);
    expect(
      capabilitiesAt(policy, topology, { from: 'bob@example.com', to: 'tag:k8s-operator' }).capabilities,
    ).toStrictEqual({
      'tailscale.com/cap/kubernetes': [{ impersonate: { groups: ['home-readers'] } }],
    });
    expect(
      canConnect(policy, topology, { from: 'tag:home-ops', to: 'tag:k8s-operator', port: 443 }).allowed,
    ).toBe(false);
  });
});
