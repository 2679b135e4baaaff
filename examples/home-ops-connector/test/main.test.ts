import '@tailkube/testing/jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestTailnet } from '@tailkube/testing';
import { constructAt, synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

const CAP = 'tailscale.com/cap/kubernetes';
const ROUTES = ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'];

describe('home-ops-connector', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-connector-'));

  /** The Connector, the API server proxy, the operator and what the app synthesizes. */
  function homeOps() {
    const app = buildApp(outdir);
    return {
      connector: constructAt(app, 'connector/home-ops'),
      kubectl: constructAt(app, 'access/kubectl'),
      operator: constructAt(app, 'operator/tailscale'),
      result: synthCdk8s(app),
    };
  }

  test('the Connector is cluster-scoped and carries its routes, exit node and tag', () => {
    const { objects } = homeOps().result;
    expect(objects).toContainObject({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'Connector',
      metadata: { name: 'home-ops' },
      spec: { subnetRouter: { advertiseRoutes: ROUTES }, exitNode: true, tags: ['tag:home-ops'] },
    });
    expect(objects).not.toContainObject({ kind: 'Connector', metadata: { namespace: expect.anything() } });
  });

  test('routes and exit node are approved for exactly the Connector tag', () => {
    const { policy } = homeOps().result;
    expect(policy.autoApprovers).toStrictEqual({
      routes: Object.fromEntries(ROUTES.map((route) => [route, ['tag:home-ops']])),
      exitNode: ['tag:home-ops'],
    });
    expect(policy.tagOwners).toStrictEqual({
      'tag:k8s-operator': ['group:admins'],
      'tag:home-ops': ['tag:k8s-operator'],
      'tag:k8s': ['tag:k8s-operator'],
    });
  });

  test('the family reaches the home LAN, the pods and the services, and the internet through the exit node', () => {
    const { result } = homeOps();
    expect(result).toAllow('group:family', '192.168.0.20', 443);
    expect(result).toAllow('bob@example.com', '10.244.3.7', 8080);
    expect(result).toAllow('group:family', '10.96.0.10', 53, 'udp');
    expect(result).toAllow('group:family', '1.1.1.1', 443);
  });

  test('nobody outside the family does, nor the Connector itself', () => {
    const { result, connector } = homeOps();
    const tailnet = TestTailnet.of(result).withUser('guest@example.com');
    expect(tailnet).toDeny('guest@example.com', '192.168.0.20', 443);
    expect(tailnet).toDeny('guest@example.com', '10.96.0.10', 53, 'udp');
    expect(tailnet).toDeny('guest@example.com', '1.1.1.1', 443);
    expect(tailnet).toDeny('autogroup:member', '10.244.3.7', 8080);
    expect(tailnet).toDeny(connector, '192.168.0.20', 443);
  });

  test('kubectl over the tailnet: admins as home-admins, the family as home-readers', () => {
    const { result, kubectl } = homeOps();
    expect(result).toAllow('group:admins', kubectl, 443);
    expect(result).toAllow('group:family', kubectl, 443);
    expect(result).toGrantCapability('group:admins', kubectl, CAP, {
      impersonate: { groups: ['home-admins'] },
    });
    expect(result).toGrantCapability('bob@example.com', kubectl, CAP, {
      impersonate: { groups: ['home-readers'] },
    });
    expect(result).not.toGrantCapability('bob@example.com', kubectl, CAP, {
      impersonate: { groups: ['home-admins'] },
    });
  });

  test('nobody else reaches kubectl or the operator, the Connector included', () => {
    const { result, kubectl, operator, connector } = homeOps();
    const tailnet = TestTailnet.of(result).withUser('guest@example.com');
    expect(tailnet).toDeny('guest@example.com', kubectl, 443);
    expect(tailnet).not.toGrantCapability('guest@example.com', kubectl, CAP);
    expect(tailnet).toDeny(connector, kubectl, 443);
    expect(tailnet).toDeny(connector, operator, 443);
    // The family's exit-node grant reaches the internet, not the tailnet's devices.
    expect(tailnet).toDeny('group:family', operator, 22);
  });

  test('exactly four grants: two for kubectl, two for the routes and the exit node', () => {
    const { policy } = homeOps().result;
    const kubernetes = (groups: string[]) => ({ [CAP]: [{ impersonate: { groups } }] });
    expect(policy.grants).toStrictEqual([
      { src: ['group:admins'], dst: ['tag:k8s-operator'], ip: ['tcp:443'], app: kubernetes(['home-admins']) },
      {
        src: ['group:family'],
        dst: ['tag:k8s-operator'],
        ip: ['tcp:443'],
        app: kubernetes(['home-readers']),
      },
      { src: ['group:family'], dst: ROUTES, ip: ['*'] },
      { src: ['group:family'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:home-ops'] },
    ]);
  });

  test('the operator shares networking with envoy, labelled privileged because the Connector needs it', () => {
    const { result, connector } = homeOps();
    expect(result.objects.filter((o) => o.kind === 'Namespace')).toMatchObject([
      { metadata: { name: 'networking', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } },
    ]);
    expect(result.objects).toContainObject({ kind: 'HelmRelease', metadata: { namespace: 'networking' } });
    expect(result.requirements.operatorNamespace).toStrictEqual({
      name: 'networking',
      mode: 'shared',
      privileged: true,
      privilegedBy: [result.sourceOf(connector)],
    });
  });

  test('the operator runs the API server proxy; RBAC binds the admins and the family', () => {
    const { objects } = homeOps().result;
    expect(objects).toContainObject({
      kind: 'HelmRelease',
      spec: { values: { apiServerProxyConfig: { mode: 'true' } } },
    });
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding')).toMatchObject([
      { metadata: { name: 'kubectl-home-admins-cluster-admin' }, roleRef: { name: 'cluster-admin' } },
      { metadata: { name: 'kubectl-home-readers-view' }, roleRef: { name: 'view' } },
    ]);
  });
});
