import {
  ApiServerProxy,
  ProxyGroup,
  Recorder,
  TailscaleOperator,
  type Tailnet,
  isValidationError,
  runWithMocks,
  tailnetProgram,
  type TailnetSynthesis,
  type ValidationError,
} from '@tailkube/pulumi';
import { canConnect, capabilitiesAt, deriveTopology } from '@tailkube/core/internal';
import { captureOptions, capturedOf, ofType, only } from './helpers/pulumi';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const CAP = 'tailscale.com/cap/kubernetes';
const CHART = 'kubernetes:helm.sh/v4:Chart';
const BINDING = 'kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding';
const RECORDER = 'kubernetes:tailscale.com/v1alpha1:Recorder';
const BASE_POLICY = '{"groups": {"group:sre": ["alice@example.com"]}}';

async function run(program: (tailnet: Tailnet) => void) {
  let tailnet: Tailnet | undefined;
  const mocked = await runWithMocks(() =>
    tailnetProgram({ allowAll: 'deny', basePolicy: BASE_POLICY }, (t) => {
      tailnet = t;
      program(t);
    }),
  );
  const synthesis: TailnetSynthesis = tailnet!.seal();
  return { ...mocked, synthesis };
}

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error: unknown = await promise.then(
    () => new Error('expected a ValidationError, but nothing was thrown'),
    (e: unknown) => e,
  );
  expect(isValidationError(error)).toBe(true);
  return error as ValidationError;
}

describe('ApiServerProxy (Pulumi)', () => {
  test('in-process auth: the chart values, the binding and the capability grant, from one call', async () => {
    // WHEN
    let command = '';
    const mocked = await run(() => {
      const operator = new TailscaleOperator('operator');
      const proxy = new ApiServerProxy('kubectl', { operator });
      proxy.grantAccess(['group:sre'], { groups: ['tailnet-readers'], clusterRole: 'view' });
      command = proxy.kubeconfigCommand;
    });

    // THEN
    const values = only(mocked, CHART).inputs['values'] as Record<string, unknown>;
    expect(values['apiServerProxyConfig']).toStrictEqual({ mode: 'true' });
    expect(only(mocked, BINDING)).toStrictEqual({
      type: BINDING,
      name: 'kubectl-tailnet-readers-view',
      inputs: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'kubectl-tailnet-readers-view', labels: MANAGED },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'tailnet-readers' }],
      },
    });
    expect(command).toBe('tailscale configure kubeconfig tailscale-operator');
    const { document } = mocked.synthesis;
    const topology = deriveTopology(document, ['group:sre']);
    expect(
      capabilitiesAt(document, topology, { from: 'group:sre', to: 'tag:k8s-operator' }).capabilities,
    ).toStrictEqual({
      [CAP]: [{ impersonate: { groups: ['tailnet-readers'] } }],
    });
  });

  test('a proxy declared before the operator chart renders still lands in its values', async () => {
    const mocked = await run(() => {
      const operator = new TailscaleOperator('operator');
      new ApiServerProxy('kubectl', { operator, mode: 'noauth' }).grantAccess(['group:sre']);
    });
    const values = only(mocked, CHART).inputs['values'] as Record<string, unknown>;
    expect(values['apiServerProxyConfig']).toStrictEqual({ mode: 'noauth' });
    expect(ofType(mocked, BINDING)).toStrictEqual([]);
  });

  test('without a proxy the chart values hold no apiServerProxyConfig', async () => {
    const mocked = await run(() => {
      new TailscaleOperator('operator');
    });
    expect(
      (only(mocked, CHART).inputs['values'] as Record<string, unknown>)['apiServerProxyConfig'],
    ).toBeUndefined();
  });

  test('on a kube-apiserver ProxyGroup with a recorder: impersonation RBAC, svc: grant, recorder grant', async () => {
    const capture = captureOptions();
    const mocked = await run(() => {
      const operator = new TailscaleOperator('operator');
      const group = new ProxyGroup('k8s-api', {
        type: 'kube-apiserver',
        replicas: 2,
        tags: ['tag:k8s-api'],
        kubeAPIServer: { mode: 'auth' },
      });
      const recorder = new Recorder(
        'recorder',
        { enableUI: true, tags: ['tag:k8s-recorder'] },
        { transformations: [capture.transformation] },
      );
      new ApiServerProxy('kubectl', { operator, proxyGroup: group }).grantAccess(['group:sre'], {
        groups: ['ops'],
        recorder,
        enforceRecorder: true,
      });
    });
    const values = only(mocked, CHART).inputs['values'] as Record<string, unknown>;
    expect(values['apiServerProxyConfig']).toStrictEqual({ allowImpersonation: 'true' });
    expect(only(mocked, RECORDER).inputs['spec']).toStrictEqual({
      enableUI: true,
      replicas: 1,
      tags: ['tag:k8s-recorder'],
    });
    expect(capturedOf(capture.captured, RECORDER).opts.replaceOnChanges).toStrictEqual(['spec.tags']);
    const { document } = mocked.synthesis;
    expect(document.grants).toEqual(
      expect.arrayContaining([
        {
          src: ['group:sre'],
          dst: ['tag:k8s-api'],
          ip: ['tcp:443'],
          app: {
            [CAP]: [
              { enforceRecorder: true, impersonate: { groups: ['ops'] }, recorder: ['tag:k8s-recorder'] },
            ],
          },
        },
        { src: ['group:sre'], dst: ['svc:k8s-api'], ip: ['tcp:443'] },
        { src: ['tag:k8s-api'], dst: ['tag:k8s-recorder'], ip: ['tcp:80'] },
      ]),
    );
    const topology = deriveTopology(document, ['group:sre']);
    expect(
      canConnect(document, topology, { from: 'tag:k8s-api', to: 'tag:k8s-recorder', port: 80 }).allowed,
    ).toBe(true);
    expect(canConnect(document, topology, { from: 'group:sre', to: 'svc:k8s-api', port: 443 }).allowed).toBe(
      true,
    );
  });

  test('a binding named by the user, and API requests recorded as events', async () => {
    const mocked = await run(() => {
      const operator = new TailscaleOperator('operator');
      const recorder = new Recorder('recorder', { enableUI: true });
      new ApiServerProxy('kubectl', { operator }).grantAccess(['group:sre'], {
        groups: ['tailnet-readers'],
        clusterRole: 'view',
        clusterRoleBindingName: 'tailnet-readers-view',
        recorder,
        enableEvents: true,
      });
    });
    expect(only(mocked, BINDING).name).toBe('tailnet-readers-view');
    expect((only(mocked, BINDING).inputs['metadata'] as { name: string }).name).toBe('tailnet-readers-view');
    const { document } = mocked.synthesis;
    const topology = deriveTopology(document, ['group:sre']);
    expect(
      capabilitiesAt(document, topology, { from: 'group:sre', to: 'tag:k8s-operator' }).capabilities[CAP],
    ).toStrictEqual([
      { enableEvents: true, impersonate: { groups: ['tailnet-readers'] }, recorder: ['tag:k8s-recorder'] },
    ]);
  });

  test('fails when enableEvents comes without a recorder', async () => {
    let proxy: ApiServerProxy | undefined;
    await run(() => {
      proxy = new ApiServerProxy('kubectl', { operator: new TailscaleOperator('operator') });
    });
    const error = await rejection(
      Promise.resolve().then(() =>
        proxy!.grantAccess(['group:sre'], { groups: ['ops'], enableEvents: true }),
      ),
    );
    expect([error.path, error.field, error.allowed]).toStrictEqual([
      "ApiServerProxy 'kubectl'",
      'enableEvents',
      'absent or false without a `recorder`',
    ]);
  });

  test('fails when enforceRecorder comes without a recorder, before anything is registered', async () => {
    let proxy: ApiServerProxy | undefined;
    await run(() => {
      proxy = new ApiServerProxy('kubectl', { operator: new TailscaleOperator('operator') });
    });
    const error = await rejection(
      Promise.resolve().then(() =>
        proxy!.grantAccess(['group:sre'], { groups: ['ops'], enforceRecorder: true }),
      ),
    );
    expect(error.path).toBe("ApiServerProxy 'kubectl'");
    expect(error.field).toBe('enforceRecorder');
  });

  test('fails when the ProxyGroup is of another type', async () => {
    const error = await rejection(
      run(() => {
        const group = ProxyGroup.fromAttributes({ name: 'ingress', type: 'ingress' });
        new ApiServerProxy('kubectl', {
          operator: { tags: ['tag:k8s-operator'], hostname: 'tailscale-operator' },
          proxyGroup: group as unknown as ProxyGroup<'kube-apiserver'>,
        });
      }),
    );
    expect(error).toMatchObject({ path: "ApiServerProxy 'kubectl'", field: 'proxyGroup' });
  });

  test('fails when the Recorder would need S3 for its replicas', async () => {
    const error = await rejection(
      run(() => {
        new Recorder('recorder', { enableUI: true, replicas: 2 });
      }),
    );
    expect(error).toMatchObject({ path: "Recorder 'recorder'", field: 'replicas', value: 2 });
  });
});
