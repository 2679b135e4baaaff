import '@tailkube/testing/jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestTailnet } from '@tailkube/testing';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

const CAP = 'tailscale.com/cap/kubernetes';

describe('apiserver-proxy-readers', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-proxy-readers-'));

  /** The proxy and what the app synthesizes, with an admin, a member and a tagged CI device added. */
  function readers() {
    const { app, proxy } = buildApp(outdir);
    const result = synthCdk8s(app);
    const tailnet = TestTailnet.of(result)
      .withUser('erin@example.com', { roles: ['admin'] })
      .withUser('dave@example.com')
      .withDevice('ci-runner', { tags: ['tag:ci'] });
    return { proxy, result, tailnet };
  }

  test('the operator runs the proxy in auth mode ("true" in the chart)', () => {
    expect(readers().result.objects).toContainObject({
      kind: 'HelmRelease',
      spec: { values: { apiServerProxyConfig: { mode: 'true' } } },
    });
  });

  test('members are bound to view through tailnet-readers; system:masters gets no binding', () => {
    const { objects } = readers().result;
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding')).toStrictEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: {
          name: 'tailnet-readers-view',
          labels: { 'app.kubernetes.io/managed-by': 'tailkube' },
        },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'tailnet-readers' }],
      },
    ]);
  });

  test('one grant per principal, to the operator tag on 443, with the groups to impersonate', () => {
    const { policy } = readers().result;
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

  test('every member reaches the proxy on 443; one who is no admin as tailnet-readers, not system:masters', () => {
    const { proxy, tailnet } = readers();
    expect(tailnet).toAllow('autogroup:member', proxy, 443);
    expect(tailnet).toDeny('dave@example.com', proxy, 22);
    expect(tailnet).toGrantCapability('dave@example.com', proxy, CAP, {
      impersonate: { groups: ['tailnet-readers'] },
    });
    expect(tailnet).not.toGrantCapability('dave@example.com', proxy, CAP, {
      impersonate: { groups: ['system:masters'] },
    });
  });

  test('a tailnet admin reaches the proxy as system:masters', () => {
    const { proxy, tailnet } = readers();
    expect(tailnet).toAllow('autogroup:admin', proxy, 443);
    expect(tailnet).toGrantCapability('erin@example.com', proxy, CAP, {
      impersonate: { groups: ['system:masters'] },
    });
  });

  test('a tagged device without a grant neither reaches the proxy nor gets a capability', () => {
    const { proxy, tailnet } = readers();
    expect(tailnet).toDeny('tag:ci', proxy, 443);
    expect(tailnet).not.toGrantCapability('tag:ci', proxy, CAP);
  });

  test('users get the exact kubeconfig command', () => {
    expect(buildApp(outdir).proxy.kubeconfigCommand).toBe(
      'tailscale configure kubeconfig tailscale-operator',
    );
  });
});
