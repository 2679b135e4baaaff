import {
  ProxyClass,
  ProxyGroup,
  TailscaleOperator,
  Tailnet,
  type IProxyGroup,
  type ProxyGroupArgs,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
  type TailnetSynthesis,
} from '@tailkube/pulumi';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';
import { captureOptions, capturedOf, dependsOn, only } from './helpers/pulumi';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const PROXY_GROUP = 'kubernetes:tailscale.com/v1alpha1:ProxyGroup';
const CHART = 'kubernetes:helm.sh/v4:Chart';

/** Runs `program` in a tailnet program under mocks; returns the run and the tailnet's synthesis. */
async function run(program: (tailnet: Tailnet) => void) {
  let tailnet: Tailnet | undefined;
  const mocked = await runWithMocks(() =>
    tailnetProgram({}, (t) => {
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

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('ProxyGroup (Pulumi)', () => {
  test('a component with the ProxyGroup custom resource, cluster-scoped, schema-valid', async () => {
    // WHEN
    const mocked = await run(() => {
      new TailscaleOperator('operator');
      new ProxyGroup('ingress', { type: 'ingress' });
    });

    // THEN
    expect(only(mocked, 'tailkube:index:ProxyGroup').name).toBe('ingress');
    const resource = only(mocked, PROXY_GROUP);
    expect(resource).toStrictEqual({
      type: PROXY_GROUP,
      name: 'ingress',
      inputs: {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'ProxyGroup',
        metadata: { name: 'ingress', labels: MANAGED },
        spec: { type: 'ingress', replicas: 2, tags: ['tag:k8s'] },
      },
    });
    expectValidKubeObjects([resource.inputs]);
  });

  test('the same props and IProxyGroup as cdk8s', async () => {
    let group: ProxyGroup<'egress'> | undefined;
    const mocked = await run(() => {
      new TailscaleOperator('operator');
      const prod = new ProxyClass('prod');
      group = new ProxyGroup('egress', {
        type: 'egress',
        replicas: 3,
        hostnamePrefix: 'out',
        tags: ['tag:egress'],
        proxyClass: prod,
      });
    });
    const reference: IProxyGroup<'egress'> = group!;
    expect([reference.name, reference.proxyGroupType, reference.tags, reference.replicas]).toStrictEqual([
      'egress',
      'egress',
      ['tag:egress'],
      3,
    ]);
    expect(group!.hostnames).toStrictEqual(['out-0', 'out-1', 'out-2']);
    expect(group!.kubeAPIServer).toBeUndefined();
    expect(mocked.resources.find((r) => r.type === PROXY_GROUP)?.inputs['spec']).toStrictEqual({
      type: 'egress',
      replicas: 3,
      hostnamePrefix: 'out',
      tags: ['tag:egress'],
      proxyClass: 'prod',
    });
  });

  test('type and tags replace the resource, and it waits for the operator chart, even one declared later', async () => {
    // GIVEN
    const capture = captureOptions();
    const opts = { transformations: [capture.transformation] };

    // WHEN
    await runWithMocks(() => {
      const tailnet = new Tailnet('tailnet', {}, opts);
      new ProxyGroup('ingress', { type: 'ingress', tailnet }, opts);
      new TailscaleOperator('operator', { tailnet }, opts);
      tailnet.seal();
    });

    // THEN
    const group = capturedOf(capture.captured, PROXY_GROUP);
    expect(group.opts.replaceOnChanges).toStrictEqual(['spec.type', 'spec.tags', 'spec.tailnet']);
    expect(await dependsOn(group.opts)).toStrictEqual([capturedOf(capture.captured, CHART).resource]);
  });

  test('a kube-apiserver group: its Tailscale Service approved for its tags, with the services scope', async () => {
    let api: ProxyGroup<'kube-apiserver'> | undefined;
    const mocked = await run(() => {
      new TailscaleOperator('operator');
      api = new ProxyGroup('api', {
        type: 'kube-apiserver',
        tags: ['tag:k8s-api'],
        kubeAPIServer: { mode: 'noauth' },
      });
    });
    expect(api!.kubeAPIServer).toStrictEqual({ mode: 'noauth', hostname: 'api' });
    expect(only(mocked, PROXY_GROUP).inputs['spec']).toStrictEqual({
      type: 'kube-apiserver',
      replicas: 2,
      tags: ['tag:k8s-api'],
      kubeAPIServer: { mode: 'noauth', hostname: 'api' },
    });
    expect(mocked.synthesis.document.autoApprovers).toStrictEqual({
      services: { 'svc:api': ['tag:k8s-api'] },
    });
    expect(mocked.synthesis.report.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core', 'services']);
  });

  test('fromAttributes: a reference to a group the program does not own creates nothing', async () => {
    const mocked = await run(() => {
      const shared = ProxyGroup.fromAttributes({ name: 'shared', type: 'ingress', tags: ['tag:web'] });
      expect(shared).toStrictEqual({
        name: 'shared',
        proxyGroupType: 'ingress',
        tags: ['tag:web'],
        replicas: 2,
      });
    });
    expect(mocked.resources.filter((r) => r.type === PROXY_GROUP)).toStrictEqual([]);
  });

  test('fails when kubeAPIServer is set on another type, before the component exists', async () => {
    const args = { type: 'egress', kubeAPIServer: { hostname: 'api' } } as ProxyGroupArgs;
    const error = await rejection(
      runWithMocks(() =>
        tailnetProgram({}, () => {
          new ProxyGroup('egress', args);
        }),
      ),
    );
    expect(fields(error)).toStrictEqual({
      path: "ProxyGroup 'egress'",
      field: 'kubeAPIServer',
      value: { hostname: 'api' },
      allowed: 'absent unless `type` is "kube-apiserver"',
    });
  });
});
