import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canConnect, capabilitiesAt, deriveTopology } from '@tailkube/core';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

const CAP = 'tailscale.com/cap/kubernetes';

describe('apiserver-proxy-ha', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-proxy-ha-'));

  test('the chart allows impersonation and runs no in-process proxy', () => {
    const { objects } = synthCdk8s(buildApp(outdir).app);
    const release = objects.find((o) => o.kind === 'HelmRelease') as unknown as {
      spec: { values: Record<string, unknown> };
    };
    expect(release.spec.values['apiServerProxyConfig']).toStrictEqual({ allowImpersonation: 'true' });
  });

  test('two proxies, a recorder with S3 by Secret reference, SREs bound to edit', () => {
    const { objects } = synthCdk8s(buildApp(outdir).app);
    expect(objects.find((o) => o.kind === 'ProxyGroup')?.['spec']).toMatchObject({
      type: 'kube-apiserver',
      replicas: 2,
      tags: ['tag:k8s-api'],
      kubeAPIServer: { mode: 'auth' },
    });
    expect(objects.find((o) => o.kind === 'Recorder')?.['spec']).toStrictEqual({
      enableUI: true,
      replicas: 1,
      tags: ['tag:k8s-recorder'],
      storage: {
        s3: {
          endpoint: 's3.eu-west-1.amazonaws.com',
          bucket: 'k8s-session-recordings',
          credentials: { secret: { name: 'recorder-s3' } },
        },
      },
    });
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => o.metadata.name)).toStrictEqual([
      'kubectl-sre-edit',
    ]);
  });

  test('SREs get the groups and the enforced recorder at the proxies, and reach svc:k8s-api', () => {
    const { policy } = synthCdk8s(buildApp(outdir).app);
    const topology = deriveTopology(policy, ['group:sre', 'tag:ci']);
    expect(
      capabilitiesAt(policy, topology, { from: 'group:sre', to: 'tag:k8s-api' }).capabilities,
    ).toStrictEqual({
      [CAP]: [{ enforceRecorder: true, impersonate: { groups: ['sre'] }, recorder: ['tag:k8s-recorder'] }],
    });
    expect(
      canConnect(policy, topology, { from: 'tag:k8s-api', to: 'tag:k8s-recorder', port: 80 }).allowed,
    ).toBe(true);
    expect(canConnect(policy, topology, { from: 'tag:ci', to: 'tag:k8s-api', port: 443 }).allowed).toBe(
      false,
    );
    expect(policy.autoApprovers?.services).toStrictEqual({ 'svc:k8s-api': ['tag:k8s-api'] });
    expect(canConnect(policy, topology, { from: 'group:sre', to: 'svc:k8s-api', port: 443 }).allowed).toBe(
      true,
    );
  });

  test('users get the exact kubeconfig command', () => {
    expect(buildApp(outdir).proxy.kubeconfigCommand).toBe('tailscale configure kubeconfig k8s-api');
  });
});
