import { App, Chart, Testing } from 'cdk8s';
import {
  ApiServerProxy,
  ProxyGroup,
  Recorder,
  Tailnet,
  TailscaleOperator,
  isValidationError,
  type ValidationError,
} from '@tailkube/cdk8s';
import { canConnect, capabilitiesAt, deriveTopology } from '@tailkube/core/internal';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const CAP = 'tailscale.com/cap/kubernetes';
const BASE = `{
  "groups": { "group:sre": ["alice@example.com"] },
  "tagOwners": { "tag:k8s-operator": [] },
}`;

/** An app with a tailnet, an operator chart and an access chart. */
function setup() {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: BASE });
  const operator = new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  const access = new Chart(app, 'access');
  return { app, operator, access };
}

/** The chart values of the operator's HelmRelease. */
function operatorValues(operator: TailscaleOperator): Record<string, unknown> {
  const release = Chart.of(operator)
    .toJson()
    .find((o) => o.kind === 'HelmRelease');
  return release.spec.values;
}

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

describe('ApiServerProxy (cdk8s)', () => {
  test('in-process auth: the chart runs the proxy with mode "true"', () => {
    // GIVEN
    const { operator, access } = setup();

    // WHEN
    const proxy = new ApiServerProxy(access, 'kubectl', { operator });

    // THEN
    expect(operatorValues(operator)['apiServerProxyConfig']).toStrictEqual({ mode: 'true' });
    expect(proxy.mode).toBe('auth');
    expect(proxy.hostname).toBe('tailscale-operator');
    expect(proxy.kubeconfigCommand).toBe('tailscale configure kubeconfig tailscale-operator');
    expect(Testing.synth(access)).toStrictEqual([]);
  });

  test('in-process noauth: mode "noauth"', () => {
    const { operator, access } = setup();
    new ApiServerProxy(access, 'kubectl', { operator, mode: 'noauth' });
    expect(operatorValues(operator)['apiServerProxyConfig']).toStrictEqual({ mode: 'noauth' });
  });

  test('grantAccess: one grant with the capability, one ClusterRoleBinding per bound group', () => {
    // GIVEN
    const { app, operator, access } = setup();
    const proxy = new ApiServerProxy(access, 'kubectl', { operator });

    // WHEN
    const grant = proxy.grantAccess(['group:sre'], { groups: ['tailnet-readers'], clusterRole: 'view' });

    // THEN
    const manifest = Testing.synth(access);
    expect(manifest).toStrictEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'kubectl-tailnet-readers-view', labels: MANAGED },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'tailnet-readers' }],
      },
    ]);
    expectValidKubeObjects(manifest);
    expect(grant.grants).toStrictEqual([
      {
        src: ['group:sre'],
        dst: ['tag:k8s-operator'],
        ip: ['tcp:443'],
        app: { [CAP]: [{ impersonate: { groups: ['tailnet-readers'] } }] },
      },
    ]);
    const { document } = Tailnet.of(app).synth();
    expect(document.grants).toStrictEqual(grant.grants);
    const topology = deriveTopology(document, ['group:sre']);
    expect(
      capabilitiesAt(document, topology, { from: 'group:sre', to: 'tag:k8s-operator' }).capabilities,
    ).toStrictEqual({
      [CAP]: [{ impersonate: { groups: ['tailnet-readers'] } }],
    });
  });

  test('the binding stays cluster-scoped in a chart that sets a namespace', () => {
    const app = Testing.app();
    const operator = new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    const access = new Chart(app, 'access', { namespace: 'apps' });
    new ApiServerProxy(access, 'kubectl', { operator }).grantAccess(['autogroup:member'], {
      groups: ['readers'],
      clusterRole: 'view',
    });
    expect(Testing.synth(access)[0]?.metadata).toStrictEqual({
      name: 'kubectl-readers-view',
      labels: MANAGED,
    });
  });

  test('on a kube-apiserver ProxyGroup in auth mode: allowImpersonation, grants to its tags and svc:', () => {
    // GIVEN
    const { app, operator, access } = setup();
    const group = new ProxyGroup(access, 'k8s-api', {
      type: 'kube-apiserver',
      tags: ['tag:k8s-api'],
      kubeAPIServer: { mode: 'auth' },
    });

    // WHEN
    const proxy = new ApiServerProxy(access, 'kubectl', { operator, proxyGroup: group });
    const grant = proxy.grantAccess(['group:sre'], { groups: ['ops'] });

    // THEN
    expect(operatorValues(operator)['apiServerProxyConfig']).toStrictEqual({ allowImpersonation: 'true' });
    expect(proxy.kubeconfigCommand).toBe('tailscale configure kubeconfig k8s-api');
    expect(grant.grants).toStrictEqual([
      {
        src: ['group:sre'],
        dst: ['tag:k8s-api'],
        ip: ['tcp:443'],
        app: { [CAP]: [{ impersonate: { groups: ['ops'] } }] },
      },
      { src: ['group:sre'], dst: ['svc:k8s-api'], ip: ['tcp:443'] },
    ]);
    const { document } = Tailnet.of(app).synth();
    const topology = deriveTopology(document, ['group:sre']);
    expect(
      capabilitiesAt(document, topology, { from: 'group:sre', to: 'tag:k8s-api' }).capabilities,
    ).toStrictEqual({
      [CAP]: [{ impersonate: { groups: ['ops'] } }],
    });
    // Checked last: the engine resolves svc: targets only once Tailscale Services have addresses in it.
    expect(canConnect(document, topology, { from: 'group:sre', to: 'svc:k8s-api', port: 443 }).allowed).toBe(
      true,
    );
  });

  test('a recorder: enforced in the capability, reached by the proxies on tcp:80', () => {
    const { app, operator, access } = setup();
    const recorder = new Recorder(access, 'recorder', { enableUI: true });
    const proxy = new ApiServerProxy(access, 'kubectl', { operator });
    proxy.grantAccess(['group:sre'], { groups: ['ops'], recorder, enforceRecorder: true });
    const { document } = Tailnet.of(app).synth();
    expect(document.grants).toContainEqual({
      src: ['tag:k8s-operator'],
      dst: ['tag:k8s-recorder'],
      ip: ['tcp:80'],
    });
    const topology = deriveTopology(document, ['group:sre']);
    expect(
      capabilitiesAt(document, topology, { from: 'group:sre', to: 'tag:k8s-operator' }).capabilities[CAP],
    ).toStrictEqual([
      { enforceRecorder: true, impersonate: { groups: ['ops'] }, recorder: ['tag:k8s-recorder'] },
    ]);
  });

  test('a binding named by the user, and API requests recorded as events', () => {
    // GIVEN
    const { app, operator, access } = setup();
    const recorder = new Recorder(access, 'recorder', { enableUI: true });
    const proxy = new ApiServerProxy(access, 'kubectl', { operator });

    // WHEN
    proxy.grantAccess(['group:sre'], {
      groups: ['tailnet-readers'],
      clusterRole: 'view',
      clusterRoleBindingName: 'tailnet-readers-view',
      recorder,
      enableEvents: true,
    });

    // THEN
    const bindings = Testing.synth(access).filter((o) => o['kind'] === 'ClusterRoleBinding');
    expect(bindings.map((o) => o['metadata'].name)).toStrictEqual(['tailnet-readers-view']);
    expectValidKubeObjects(bindings);
    const { document } = Tailnet.of(app).synth();
    const topology = deriveTopology(document, ['group:sre']);
    expect(
      capabilitiesAt(document, topology, { from: 'group:sre', to: 'tag:k8s-operator' }).capabilities[CAP],
    ).toStrictEqual([
      { enableEvents: true, impersonate: { groups: ['tailnet-readers'] }, recorder: ['tag:k8s-recorder'] },
    ]);
  });

  test('fails when a binding name is not an RBAC name, and nothing is added', () => {
    const { operator, access } = setup();
    const proxy = new ApiServerProxy(access, 'kubectl', { operator });
    const error = validationError(() =>
      proxy.grantAccess(['group:sre'], {
        groups: ['ops'],
        clusterRole: 'view',
        clusterRoleBindingName: '..',
      }),
    );
    expect([error.path, error.field, error.value]).toStrictEqual([
      "ApiServerProxy 'access/kubectl'",
      'clusterRoleBindingName',
      '..',
    ]);
    expect(Testing.synth(access)).toStrictEqual([]);
  });

  test('without any proxy the operator values are unchanged', () => {
    const { operator } = setup();
    expect(operatorValues(operator)['apiServerProxyConfig']).toBeUndefined();
  });

  test('fails when a second proxy runs in the operator process, before anything is created', () => {
    const { app, operator, access } = setup();
    new ApiServerProxy(access, 'kubectl', { operator });
    const error = validationError(() => new ApiServerProxy(access, 'second', { operator }));
    expect(error.path).toBe("ApiServerProxy 'access/second'");
    expect(error.field).toBe('operator');
    expect(access.node.tryFindChild('second')).toBeUndefined();
    expect(() => Tailnet.of(app).synth()).not.toThrow();
  });

  test('fails when the ProxyGroup is of another type', () => {
    const { operator, access } = setup();
    const group = new ProxyGroup(access, 'ingress', { type: 'ingress' });
    const error = validationError(
      () =>
        new ApiServerProxy(access, 'kubectl', {
          operator,
          proxyGroup: group as unknown as ProxyGroup<'kube-apiserver'>,
        }),
    );
    expect(error.field).toBe('proxyGroup');
    expect(error.allowed).toBe('a ProxyGroup of type "kube-apiserver"');
  });

  test('fails when noauth gets impersonation options, and nothing is added', () => {
    const { app, operator, access } = setup();
    const proxy = new ApiServerProxy(access, 'kubectl', { operator, mode: 'noauth' });
    const error = validationError(() =>
      proxy.grantAccess(['group:sre'], { groups: ['ops'], clusterRole: 'view' }),
    );
    expect(error.field).toBe('groups');
    expect(error.path).toBe("ApiServerProxy 'access/kubectl'");
    expect(Testing.synth(access)).toStrictEqual([]);
    expect(Tailnet.of(app).synth().document.grants).toBeUndefined();
  });

  test('fails at synth when a proxy is created after the policy was rendered', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const operator = new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    Tailnet.of(app).synth();
    const error = validationError(() => new ApiServerProxy(new Chart(app, 'late'), 'kubectl', { operator }));
    expect(error.path).toBe("ApiServerProxy 'late/kubectl'");
    expect(error.field).toBe('tailnet');
  });
});
