import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import {
  ProxyClass,
  ProxyGroup,
  TailscaleIngress,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
  type TailscaleIngressProps,
} from '@tailkube/cdk8s';
import { canConnect, deriveTopology } from '@tailkube/core/internal';
import { validateKubeObject } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const DASHBOARD: TailscaleIngressProps = {
  hostname: 'my-dashboard',
  defaultBackend: { serviceName: 'dashboard', port: 3000 },
};
/** A base policy that defines the groups the tests allow. */
const BASE_POLICY = '{"groups": {"group:eng": ["bob@example.com"]}}';

/** Runs `fn`, which must throw a ValidationError, and returns it. */
function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

/** A chart in an app whose operator (in a chart of its own) owns the Ingresses' tags. */
function chartWithOperator(id: string, props: { namespace?: string } = {}): Chart {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: BASE_POLICY });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  return new Chart(app, id, props);
}

function tailnetOf(chart: Chart) {
  return Tailnet.of(chart).synth();
}

describe('TailscaleIngress (cdk8s)', () => {
  test('a standalone Ingress in the chart namespace, with its tags and one TLS host', () => {
    // GIVEN
    const chart = chartWithOperator('apps', { namespace: 'monitoring' });

    // WHEN
    const ingress = new TailscaleIngress(chart, 'my-dashboard', DASHBOARD);

    // THEN
    expect(Testing.synth(chart)).toStrictEqual([
      {
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
      },
    ]);
    expect([ingress.name, ingress.namespace, ingress.hostname, ingress.tags]).toStrictEqual([
      'my-dashboard',
      'monitoring',
      'my-dashboard',
      ['tag:k8s'],
    ]);
  });

  test('the default hostname is the operator’s, in the default namespace without a chart namespace', () => {
    const chart = chartWithOperator('apps');
    const ingress = new TailscaleIngress(chart, 'grafana', {
      defaultBackend: { serviceName: 'grafana', port: 80 },
    });
    expect([ingress.namespace, ingress.hostname]).toStrictEqual(['default', 'default-grafana-ingress']);
  });

  test('a ProxyClass the program owns is a label', () => {
    const chart = chartWithOperator('apps');
    const prod = new ProxyClass(chart, 'prod');
    const ingress = new TailscaleIngress(chart, 'dash', { ...DASHBOARD, proxyClass: prod });
    expect(ingress.apiObject.toJson().metadata.labels).toStrictEqual({
      ...MANAGED,
      'tailscale.com/proxy-class': 'prod',
    });
  });

  test('allow() grants exactly its tags on 443, checked against the rendered policy', () => {
    // GIVEN
    const chart = chartWithOperator('apps');
    const ingress = new TailscaleIngress(chart, 'dash', DASHBOARD);

    // WHEN
    const [grant] = ingress.allow(['group:eng']).grants;

    // THEN
    expect(grant).toStrictEqual({ src: ['group:eng'], dst: ['tag:k8s'], ip: ['tcp:443'] });
    const { document, report } = tailnetOf(chart);
    expect(document.grants).toStrictEqual([grant]);
    expect(report.intendedAccess).toStrictEqual([
      { src: 'group:eng', dst: 'tag:k8s', port: 443, expect: 'allow' },
      { src: 'autogroup:member', dst: 'tag:k8s', port: 443, expect: 'deny' },
    ]);
    const topology = deriveTopology(document, ['bob@example.com']);
    expect(
      canConnect(document, topology, { from: 'bob@example.com', to: 'tag:k8s', port: 443 }).allowed,
    ).toBe(true);
  });

  test('on an ingress ProxyGroup: svc:<hostname>, approved for the group tags', () => {
    // GIVEN
    const chart = chartWithOperator('apps');
    const group = new ProxyGroup(chart, 'ingress', { type: 'ingress', tags: ['tag:k8s-ingress'] });

    // WHEN
    const ingress = new TailscaleIngress(chart, 'dash', {
      ...DASHBOARD,
      proxyGroup: group,
      httpRedirect: true,
    });
    const [grant] = ingress.allow(['group:eng']).grants;

    // THEN
    expect(ingress.apiObject.toJson().metadata.annotations).toStrictEqual({
      'tailscale.com/http-redirect': 'true',
      'tailscale.com/proxy-group': 'ingress',
      'tailscale.com/tags': 'tag:k8s',
    });
    expect(grant).toStrictEqual({ src: ['group:eng'], dst: ['svc:my-dashboard'], ip: ['tcp:443', 'tcp:80'] });
    const { document, report } = tailnetOf(chart);
    expect(document.autoApprovers?.services).toStrictEqual({ 'svc:my-dashboard': ['tag:k8s-ingress'] });
    expect(report.operator?.scopes).toContain('services');
  });

  test('warns for a backend proxied as HTTPS without verification', () => {
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const chart = chartWithOperator('apps');
      const ingress = new TailscaleIngress(chart, 'edge', {
        defaultBackend: { serviceName: 'traefik', port: 443 },
      });
      expect(ingress.warnings).toHaveLength(1);
      expect(emit).toHaveBeenCalledWith(ingress.warnings[0], 'TailkubeWarning');
    } finally {
      emit.mockRestore();
    }
  });

  test('fails when a path is Exact, before the construct exists', () => {
    const chart = chartWithOperator('apps');
    const error = validationError(
      () =>
        new TailscaleIngress(chart, 'dash', {
          paths: [{ path: '/', pathType: 'Exact' as 'Prefix', backend: { serviceName: 'dash', port: 80 } }],
        }),
    );
    expect([error.path, error.field, error.value]).toStrictEqual([
      "TailscaleIngress 'apps/dash'",
      'paths[0].pathType',
      'Exact',
    ]);
    expect(chart.node.tryFindChild('dash')).toBeUndefined();
  });

  test('fails when an egress ProxyGroup is passed without types', () => {
    const chart = chartWithOperator('apps');
    const egress = new ProxyGroup(chart, 'egress', { type: 'egress' });
    const error = validationError(
      () => new TailscaleIngress(chart, 'dash', { ...DASHBOARD, proxyGroup: egress as never }),
    );
    expect(error.field).toBe('proxyGroup');
  });

  test('fails when two Ingresses ask for one hostname, at synth', () => {
    const chart = chartWithOperator('apps');
    new TailscaleIngress(chart, 'a', DASHBOARD);
    new TailscaleIngress(chart, 'b', DASHBOARD);
    const error = validationError(() => Testing.synth(chart));
    expect([error.path, error.field, error.value]).toStrictEqual([
      "TailscaleIngress 'apps/b'",
      'hostname',
      'my-dashboard',
    ]);
  });

  test('property: random props either fail validation or give an Ingress Kubernetes accepts', () => {
    const label = fc.oneof(
      { arbitrary: fc.constantFrom('dash', 'my-dashboard', 'a1'), weight: 4 },
      { arbitrary: fc.constantFrom('Bad_Name', 'x.y', '-x', 'z'.repeat(70), ''), weight: 1 },
      { arbitrary: fc.string(), weight: 1 },
    );
    const port = fc.oneof(
      { arbitrary: fc.constantFrom<number | string>(80, 443, 3000, 'http', 'https'), weight: 6 },
      { arbitrary: fc.constantFrom<number | string>(0, 70000, 1.5, '3000', 'Bad Port', ''), weight: 1 },
    );
    const backend = fc.record({
      serviceName: fc.oneof(
        { arbitrary: fc.constantFrom('dash', 'api'), weight: 6 },
        { arbitrary: fc.constantFrom('Dash', '1api', ''), weight: 1 },
      ),
      port,
    });
    const path = fc.record({
      path: fc.oneof(
        { arbitrary: fc.constantFrom('/', '/api', '/a/b'), weight: 6 },
        { arbitrary: fc.constantFrom('api', '//x', '/x/..', '/has space'), weight: 1 },
      ),
      pathType: fc.oneof(
        { arbitrary: fc.constantFrom('Prefix', 'ImplementationSpecific', undefined), weight: 6 },
        { arbitrary: fc.constant('Exact'), weight: 1 },
      ),
      backend,
    });
    /** An optional field: absent half the time (never present as `undefined`). */
    const maybe = <T>(key: string, value: fc.Arbitrary<T>) =>
      fc.option(value, { nil: undefined, freq: 2 }).map((v) => (v === undefined ? {} : { [key]: v }));
    const group = fc.constantFrom<TailscaleIngressProps['proxyGroup']>(
      { name: 'ingress', proxyGroupType: 'ingress', tags: ['tag:k8s'], replicas: 2 },
      { name: 'Bad', proxyGroupType: 'ingress', tags: ['tag:k8s'], replicas: 2 },
    );
    const arbitrary = fc
      .tuple(
        maybe('hostname', label),
        maybe('defaultBackend', backend),
        maybe('paths', fc.array(path, { maxLength: 2 })),
        maybe('httpRedirect', fc.boolean()),
        maybe('httpEndpoint', fc.boolean()),
        maybe('tags', fc.array(fc.constantFrom('tag:k8s', 'tag:web', 'tag:web', 'web'), { maxLength: 2 })),
        maybe('proxyClass', fc.record({ name: label })),
        maybe('proxyGroup', group),
        maybe('ingressClassName', fc.constantFrom('tailscale', 'ts-internal', 'Bad Class')),
      )
      .map((parts) => Object.assign({}, ...parts) as TailscaleIngressProps);
    let valid = 0;
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    fc.assert(
      fc.property(arbitrary, (props) => {
        const chart = chartWithOperator('apps', { namespace: 'apps' });
        try {
          new TailscaleIngress(chart, 'ing', props);
        } catch (error) {
          expect(isValidationError(error)).toBe(true);
          return;
        }
        valid++;
        const [object] = Testing.synth(chart);
        expect(validateKubeObject(object!)).toStrictEqual([]);
      }),
      { numRuns: 500, seed: 42 },
    );
    emit.mockRestore();
    // The generator reaches valid props too, not only errors.
    expect(valid).toBeGreaterThan(10);
  });
});
