import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canConnect, capabilitiesAt, deriveTopology } from '@tailkube/core';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

const CAP = 'tailscale.com/cap/kubernetes';

describe('apiserver-proxy-readers', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-proxy-readers-'));

  test('the operator runs the proxy in auth mode ("true" in the chart)', () => {
    const { objects } = synthCdk8s(buildApp(outdir).app);
    const release = objects.find((o) => o.kind === 'HelmRelease') as unknown as {
      spec: { values: Record<string, unknown> };
    };
    expect(release.spec.values['apiServerProxyConfig']).toStrictEqual({ mode: 'true' });
  });

  test('members are bound to view through tailnet-readers; system:masters gets no binding', () => {
    const { objects } = synthCdk8s(buildApp(outdir).app);
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding')).toStrictEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: {
          name: 'kubectl-tailnet-readers-view',
          labels: { 'app.kubernetes.io/managed-by': 'tailkube' },
        },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'tailnet-readers' }],
      },
    ]);
  });

  test('one grant per principal, to the operator tag on 443, with the groups to impersonate', () => {
    const { policy } = synthCdk8s(buildApp(outdir).app);
    expect(policy.grants).toStrictEqual([
      {
        src: ['autogroup:admin'],
        dst: ['tag:k8s-operator'],
        ip: ['tcp:443'],
        app: { [CAP]: [{ impersonate: { groups: ['system:masters'] } }] },
      },
      {
        src: ['autogroup:member'],
        dst: ['tag:k8s-operator'],
        ip: ['tcp:443'],
        app: { [CAP]: [{ impersonate: { groups: ['tailnet-readers'] } }] },
      },
    ]);
  });

  test('a member reaches the proxy as tailnet-readers; a device without a grant does not reach it', () => {
    const { policy } = synthCdk8s(buildApp(outdir).app);
    const topology = deriveTopology(policy, ['autogroup:member', 'tag:ci']);
    expect(
      canConnect(policy, topology, { from: 'autogroup:member', to: 'tag:k8s-operator', port: 443 }).allowed,
    ).toBe(true);
    expect(
      capabilitiesAt(policy, topology, { from: 'autogroup:member', to: 'tag:k8s-operator' }).capabilities,
    ).toStrictEqual({
      [CAP]: [{ impersonate: { groups: ['tailnet-readers'] } }],
    });
    expect(canConnect(policy, topology, { from: 'tag:ci', to: 'tag:k8s-operator', port: 443 }).allowed).toBe(
      false,
    );
  });

  test('users get the exact kubeconfig command', () => {
    expect(buildApp(outdir).proxy.kubeconfigCommand).toBe(
      'tailscale configure kubeconfig tailscale-operator',
    );
  });
});
