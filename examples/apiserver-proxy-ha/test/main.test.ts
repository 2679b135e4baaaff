import '@tailkube/testing/jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestTailnet } from '@tailkube/testing';
import { constructAt, synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

const CAP = 'tailscale.com/cap/kubernetes';
/** What an SRE's `kubectl` gets at the proxies: the group `sre`, recorded sessions or none. */
const SRE_ACCESS = {
  enforceRecorder: true,
  impersonate: { groups: ['sre'] },
  recorder: ['tag:k8s-recorder'],
};

describe('apiserver-proxy-ha', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-proxy-ha-'));

  /** The proxy, its ProxyGroup and recorder, and what the app synthesizes. */
  function ha() {
    const { app, proxy } = buildApp(outdir);
    return {
      proxy,
      group: constructAt(app, 'access/k8s-api'),
      recorder: constructAt(app, 'access/recorder'),
      result: synthCdk8s(app),
    };
  }

  test('the chart allows impersonation and runs no in-process proxy', () => {
    const { objects } = ha().result;
    expect(objects).toContainObject({
      kind: 'HelmRelease',
      spec: { values: { apiServerProxyConfig: { allowImpersonation: 'true' } } },
    });
    expect(objects).not.toContainObject({
      kind: 'HelmRelease',
      spec: { values: { apiServerProxyConfig: { mode: expect.anything() } } },
    });
  });

  test('two proxies, a recorder with S3 by Secret reference, SREs bound to edit', () => {
    const { objects } = ha().result;
    expect(objects).toContainObject({
      kind: 'ProxyGroup',
      spec: { type: 'kube-apiserver', replicas: 2, tags: ['tag:k8s-api'], kubeAPIServer: { mode: 'auth' } },
    });
    expect(objects).toContainObject({
      kind: 'Recorder',
      spec: {
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
      },
    });
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => o.metadata.name)).toStrictEqual([
      'kubectl-sre-edit',
    ]);
  });

  test('SREs reach the proxy at svc:k8s-api and get the group sre with the enforced recorder', () => {
    const { result, proxy, group } = ha();
    expect(result).toAllow('group:sre', proxy, 443);
    expect(result).toAllow('bob@example.com', 'svc:k8s-api', 443);
    expect(result).toGrantCapability('group:sre', proxy, CAP, SRE_ACCESS);
    // The capability is granted on the proxies' devices (never on svc:, where it would be dropped)
    expect(result).toGrantCapability('alice@example.com', group, CAP, SRE_ACCESS);
    expect(result).not.toGrantCapability('group:sre', 'svc:k8s-api', CAP);
    expect(result.policy.autoApprovers?.services).toStrictEqual({ 'svc:k8s-api': ['tag:k8s-api'] });
  });

  test('the proxies reach the recorder on 80 alone, so sessions can be recorded', () => {
    const { result, group, recorder } = ha();
    expect(result).toAllow(group, recorder, 80);
    expect(result).toDeny(group, recorder, 443);
  });

  test('nobody else reaches the proxy or gets a capability there', () => {
    const { result, proxy } = ha();
    const tailnet = TestTailnet.of(result)
      .withUser('dave@example.com')
      .withDevice('ci-runner', { tags: ['tag:ci'] });
    expect(tailnet).toDeny('dave@example.com', proxy, 443);
    expect(tailnet).not.toGrantCapability('dave@example.com', proxy, CAP);
    expect(tailnet).toDeny('tag:ci', proxy, 443);
    expect(tailnet).not.toGrantCapability('tag:ci', proxy, CAP);
  });

  test('users get the exact kubeconfig command', () => {
    expect(buildApp(outdir).proxy.kubeconfigCommand).toBe('tailscale configure kubeconfig k8s-api');
  });
});
