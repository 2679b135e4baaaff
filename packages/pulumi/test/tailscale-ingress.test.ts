import {
  ProxyGroup,
  TailscaleIngress,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
  type TailnetSynthesis,
  type TailscaleIngressArgs,
} from '@tailkube/pulumi';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';
import { captureOptions, capturedOf, dependsOn, only, promisify } from './helpers/pulumi';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const INGRESS = 'kubernetes:networking.k8s.io/v1:Ingress';
const CHART = 'kubernetes:helm.sh/v4:Chart';
const PROXY_GROUP = 'kubernetes:tailscale.com/v1alpha1:ProxyGroup';
const DASHBOARD: TailscaleIngressArgs = {
  namespace: 'monitoring',
  hostname: 'my-dashboard',
  defaultBackend: { serviceName: 'dashboard', port: 3000 },
};
const BASE_POLICY = '{"groups": {"group:eng": ["bob@example.com"]}}';

/** Runs `program` in a tailnet program under mocks; returns the run and the tailnet's synthesis. */
async function run(program: (tailnet: Tailnet) => void) {
  let tailnet: Tailnet | undefined;
  const mocked = await runWithMocks(() =>
    tailnetProgram({ basePolicy: BASE_POLICY, allowAll: 'deny' }, (t) => {
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

describe('TailscaleIngress (Pulumi)', () => {
  test('a component with the Ingress, the same object as cdk8s', async () => {
    // WHEN
    const mocked = await run(() => {
      new TailscaleOperator('operator');
      new TailscaleIngress('my-dashboard', DASHBOARD);
    });

    // THEN
    expect(only(mocked, 'tailkube:index:TailscaleIngress').name).toBe('my-dashboard');
    const ingress = only(mocked, INGRESS);
    expect(ingress.inputs).toStrictEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'my-dashboard',
        namespace: 'monitoring',
        labels: MANAGED,
        annotations: { 'tailscale.com/tags': 'tag:k8s' },
      },
      spec: {
        ingressClassName: 'tailscale',
        defaultBackend: { service: { name: 'dashboard', port: { number: 3000 } } },
        tls: [{ hosts: ['my-dashboard'] }],
      },
    });
    expectValidKubeObjects([ingress.inputs]);
  });

  test('standalone: tags replace the Ingress, and it waits for the operator chart', async () => {
    // GIVEN
    const capture = captureOptions();
    const opts = { transformations: [capture.transformation] };

    // WHEN
    await runWithMocks(() => {
      const tailnet = new Tailnet('tailnet', { basePolicy: BASE_POLICY, allowAll: 'deny' }, opts);
      new TailscaleIngress('dash', { ...DASHBOARD, tailnet }, opts);
      new TailscaleOperator('operator', { tailnet }, opts);
      tailnet.seal();
    });

    // THEN
    const ingress = capturedOf(capture.captured, INGRESS);
    expect(ingress.opts.replaceOnChanges).toStrictEqual(['metadata.annotations["tailscale.com/tags"]']);
    expect(await dependsOn(ingress.opts)).toStrictEqual([capturedOf(capture.captured, CHART).resource]);
  });

  test('on a ProxyGroup: waits for the group, retags in place, svc: approved for the group', async () => {
    // GIVEN
    const capture = captureOptions();
    const opts = { transformations: [capture.transformation] };
    let grant: unknown;

    // WHEN
    const { synthesis } = await run(() => {
      new TailscaleOperator('operator', {}, opts);
      const group = new ProxyGroup('ingress', { type: 'ingress', tags: ['tag:k8s-ingress'] }, opts);
      [grant] = new TailscaleIngress('dash', { ...DASHBOARD, proxyGroup: group }, opts).allow([
        'group:eng',
      ]).grants;
    });

    // THEN
    const ingress = capturedOf(capture.captured, INGRESS);
    expect(ingress.opts.replaceOnChanges).toBeUndefined();
    const deps = await dependsOn(ingress.opts);
    expect(deps).toContain(capturedOf(capture.captured, CHART).resource);
    expect(deps.map((d) => (d as { constructor: { name: string } }).constructor.name)).toContain(
      'ProxyGroup',
    );
    expect(capturedOf(capture.captured, PROXY_GROUP)).toBeDefined();
    expect(grant).toStrictEqual({ src: ['group:eng'], dst: ['svc:my-dashboard'], ip: ['tcp:443'] });
    expect(synthesis.document.autoApprovers?.services).toStrictEqual({
      'svc:my-dashboard': ['tag:k8s-ingress'],
    });
    expect(synthesis.report.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core', 'services']);
  });

  test('the URL comes from the status, undefined until the operator sets it', async () => {
    let ingress: TailscaleIngress | undefined;
    await run(() => {
      new TailscaleOperator('operator');
      ingress = new TailscaleIngress('dash', DASHBOARD);
    });
    expect(ingress!.hostname).toBe('my-dashboard');
    expect(await promisify(ingress!.url)).toBeUndefined();
  });

  test('fails when a second hostname is given, before the component exists', async () => {
    const error = await rejection(
      runWithMocks(() =>
        tailnetProgram({}, () => {
          new TailscaleIngress('dash', { ...DASHBOARD, hostname: ['a', 'b'] as unknown as string });
        }),
      ),
    );
    expect([error.path, error.field]).toStrictEqual(["TailscaleIngress 'dash'", 'hostname']);
  });
});
