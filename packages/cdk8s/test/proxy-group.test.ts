import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import {
  ProxyClass,
  ProxyGroup,
  TailscaleOperator,
  Tailnet,
  type IProxyGroup,
  type ProxyGroupProps,
  type ValidationError,
  isValidationError,
} from '@tailkube/cdk8s';
import { expectValidKubeObjects, validateKubeObject } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

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

/** A chart in an app whose operator (in a chart of its own) owns the groups' tags. */
function chartWithOperator(id: string, props: { namespace?: string } = {}): Chart {
  const app = Testing.app();
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  return new Chart(app, id, props);
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('ProxyGroup (cdk8s)', () => {
  test('an ingress group, cluster-scoped in a namespaced chart, with the operator defaults rendered', () => {
    // GIVEN
    const chart = chartWithOperator('platform', { namespace: 'apps' });

    // WHEN
    const group = new ProxyGroup(chart, 'ingress', { type: 'ingress' });

    // THEN
    const objects = Testing.synth(chart);
    expect(objects).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'ProxyGroup',
        metadata: { name: 'ingress', labels: MANAGED },
        spec: { type: 'ingress', replicas: 2, tags: ['tag:k8s'] },
      },
    ]);
    expectValidKubeObjects(objects);
    expect(group.hostnames).toStrictEqual(['ingress-0', 'ingress-1']);
    expect(group.kubeAPIServer).toBeUndefined();
  });

  test('the IProxyGroup the Service, Ingress and egress constructs consume', () => {
    const chart = chartWithOperator('platform');
    const group = new ProxyGroup(chart, 'egress', {
      type: 'egress',
      replicas: 3,
      hostnamePrefix: 'out',
      tags: ['tag:egress'],
    });
    const reference: IProxyGroup<'egress'> = group;
    expect([reference.name, reference.proxyGroupType, reference.tags, reference.replicas]).toStrictEqual([
      'egress',
      'egress',
      ['tag:egress'],
      3,
    ]);
    expect(group.hostnames).toStrictEqual(['out-0', 'out-1', 'out-2']);
  });

  test('typed by its type: a group of one type is not a reference of another', () => {
    const chart = new Chart(Testing.app(), 'platform');
    const egress = new ProxyGroup(chart, 'egress', { type: 'egress' });
    const asEgress: ProxyGroup<'egress'> = egress;
    // @ts-expect-error an egress group is no ingress group
    const asIngress: IProxyGroup<'ingress'> = egress;
    // @ts-expect-error kubeAPIServer belongs to kube-apiserver groups only
    const wrong: ProxyGroupProps<'ingress'> = { type: 'ingress', kubeAPIServer: { mode: 'noauth' } };
    const api = new ProxyGroup(chart, 'api', { type: 'kube-apiserver' });
    const mode: 'auth' | 'noauth' = api.kubeAPIServer.mode;
    const none: undefined = egress.kubeAPIServer;
    expect([asEgress.name, asIngress.name, wrong.type, mode, none]).toStrictEqual([
      'egress',
      'egress',
      'ingress',
      'auth',
      undefined,
    ]);
  });

  test('a kube-apiserver group: its Tailscale Service approved for its tags, with the services scope', () => {
    // GIVEN
    const app = Testing.app();
    new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    const chart = new Chart(app, 'platform');

    // WHEN
    const api = new ProxyGroup(chart, 'api', {
      type: 'kube-apiserver',
      tags: ['tag:k8s-api'],
      kubeAPIServer: { hostname: 'k8s' },
    });

    // THEN
    expect(api.kubeAPIServer).toStrictEqual({ mode: 'auth', hostname: 'k8s' });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => o['spec'])).toStrictEqual([
      {
        type: 'kube-apiserver',
        replicas: 2,
        tags: ['tag:k8s-api'],
        kubeAPIServer: { mode: 'auth', hostname: 'k8s' },
      },
    ]);
    expectValidKubeObjects(objects);
    const { document, report } = Tailnet.of(app).synth();
    expect(document.autoApprovers).toStrictEqual({ services: { 'svc:k8s': ['tag:k8s-api'] } });
    expect(document.tagOwners?.['tag:k8s-api']).toStrictEqual(['tag:k8s-operator']);
    expect(report.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core', 'services']);
    expect(report.hostnames).toStrictEqual(['api-0', 'api-1', 'k8s', 'tailscale-operator']);
  });

  test('refers to a ProxyClass the program owns', () => {
    const chart = chartWithOperator('platform');
    const prod = new ProxyClass(chart, 'prod');
    new ProxyGroup(chart, 'ingress', { type: 'ingress', proxyClass: prod });
    const [, group] = Testing.synth(chart);
    expect(group?.['spec']).toStrictEqual({
      type: 'ingress',
      replicas: 2,
      tags: ['tag:k8s'],
      proxyClass: 'prod',
    });
  });

  test('fromAttributes: a group the program does not own renders nothing and adds nothing to the policy', () => {
    const chart = chartWithOperator('team');
    const shared = ProxyGroup.fromAttributes(chart, 'shared', { name: 'shared-ingress', type: 'ingress' });
    expect([shared.name, shared.proxyGroupType, shared.tags, shared.replicas]).toStrictEqual([
      'shared-ingress',
      'ingress',
      ['tag:k8s'],
      2,
    ]);
    expect(Testing.synth(chart)).toStrictEqual([]);
    expect(Tailnet.of(chart).synth().report.hostnames).toStrictEqual(['tailscale-operator']);
  });

  test('fails when kubeAPIServer is set on another type, before the construct exists', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'platform');
    const props = { type: 'ingress', kubeAPIServer: { mode: 'noauth' } } as ProxyGroupProps;

    // WHEN
    const error = validationError(() => new ProxyGroup(chart, 'ingress', props));

    // THEN
    expect(fields(error)).toStrictEqual({
      path: "ProxyGroup 'platform/ingress'",
      field: 'kubeAPIServer',
      value: { mode: 'noauth' },
      allowed: 'absent unless `type` is "kube-apiserver"',
    });
    expect(chart.node.tryFindChild('ingress')).toBeUndefined();
  });

  test('fails when two groups would ask for the same hostnames, at synth', () => {
    const app = Testing.app();
    new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    const chart = new Chart(app, 'platform');
    new ProxyGroup(chart, 'a', { type: 'ingress', hostnamePrefix: 'pg' });
    new ProxyGroup(chart, 'b', { type: 'egress', hostnamePrefix: 'pg' });
    expect(fields(validationError(() => Tailnet.of(app).synth()))).toStrictEqual({
      path: "ProxyGroup 'platform/b'",
      field: 'hostnamePrefix',
      value: 'pg-0',
      allowed: 'a hostname no other construct in the program uses',
    });
  });

  test('fails when declared after the tailnet rendered its policy, leaving nothing behind', () => {
    const chart = chartWithOperator('platform');
    Tailnet.of(chart).synth();
    const error = validationError(() => new ProxyGroup(chart, 'late', { type: 'ingress' }));
    expect(error.path).toBe("ProxyGroup 'platform/late'");
    expect(chart.node.tryFindChild('late')).toBeUndefined();
  });

  test('property: random props either fail validation or give a ProxyGroup the CRD accepts', () => {
    const name = fc.oneof(
      { arbitrary: fc.constantFrom('ingress', 'pg', 'kube-apiserver-auth-proxy', 'a'.repeat(52)), weight: 4 },
      { arbitrary: fc.constantFrom('Bad_Name', 'x.y', '-x', 'z'.repeat(53)), weight: 1 },
      { arbitrary: fc.string(), weight: 1 },
    );
    /** An optional field: absent half the time (never present as `undefined`). */
    const maybe = <T>(key: string, value: fc.Arbitrary<T>) =>
      fc.option(value, { nil: undefined, freq: 2 }).map((v) => (v === undefined ? {} : { [key]: v }));
    const arbitrary = fc
      .tuple(
        fc.record({ type: fc.constantFrom('ingress', 'egress', 'kube-apiserver', 'funnel') }),
        maybe('name', name),
        maybe(
          'replicas',
          fc.oneof({ arbitrary: fc.integer({ min: 0, max: 12 }), weight: 4 }, fc.constantFrom(-1, 1.5)),
        ),
        maybe('hostnamePrefix', fc.oneof(name, fc.constant('p'.repeat(62)))),
        maybe(
          'tags',
          fc.array(fc.constantFrom('tag:k8s', 'tag:web', 'tag:web', 'web', 'tag:'), { maxLength: 2 }),
        ),
        maybe('proxyClass', fc.record({ name })),
        maybe(
          'kubeAPIServer',
          fc
            .tuple(maybe('mode', fc.constantFrom('auth', 'noauth', 'oidc')), maybe('hostname', name))
            .map((parts) => Object.assign({}, ...parts)),
        ),
      )
      .map((parts) => Object.assign({}, ...parts) as ProxyGroupProps);
    let valid = 0;
    fc.assert(
      fc.property(arbitrary, (props) => {
        const chart = chartWithOperator('platform', { namespace: 'apps' });
        try {
          new ProxyGroup(chart, 'pg', props);
        } catch (error) {
          expect(isValidationError(error)).toBe(true);
          return;
        }
        valid++;
        const [object] = Testing.synth(chart);
        expect(validateKubeObject(object!)).toStrictEqual([]);
        expect(() => Tailnet.of(chart).synth()).not.toThrow();
      }),
      { numRuns: 400, seed: 42 },
    );
    // The generator reaches valid props too, not only errors.
    expect(valid).toBeGreaterThan(10);
  });
});
