import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import {
  FunnelIngress,
  ProxyGroup,
  TailscaleIngress,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
  type FunnelIngressProps,
} from '@tailkube/cdk8s';
import { validateKubeObject } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const PUBLIC_APP: FunnelIngressProps = {
  public: true,
  hostname: 'my-public-app',
  defaultBackend: { serviceName: 'app', port: 8080 },
};

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
  new Tailnet(app, 'Tailnet', {
    allowAll: 'deny',
    basePolicy: '{"groups": {"group:ops": ["ops@example.com"]}}',
  });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  return new Chart(app, id, props);
}

describe('FunnelIngress (cdk8s)', () => {
  test('an Ingress with tailscale.com/funnel and a tag of its own', () => {
    // GIVEN
    const chart = chartWithOperator('web', { namespace: 'web' });

    // WHEN
    const funnel = new FunnelIngress(chart, 'my-public-app', PUBLIC_APP);

    // THEN
    expect(Testing.synth(chart)).toStrictEqual([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name: 'my-public-app',
          namespace: 'web',
          labels: MANAGED,
          annotations: { 'tailscale.com/funnel': 'true', 'tailscale.com/tags': 'tag:k8s-funnel' },
        },
        spec: {
          ingressClassName: 'tailscale',
          defaultBackend: { service: { name: 'app', port: { number: 8080 } } },
          tls: [{ hosts: ['my-public-app'] }],
        },
      },
    ]);
    expect([funnel.hostname, funnel.tags]).toStrictEqual(['my-public-app', ['tag:k8s-funnel']]);
  });

  test('the policy gives funnel to exactly the Funnel tag, owned by the operator', () => {
    // GIVEN
    const chart = chartWithOperator('web');

    // WHEN
    new FunnelIngress(chart, 'my-public-app', PUBLIC_APP);
    new TailscaleIngress(chart, 'dash', { defaultBackend: { serviceName: 'dash', port: 80 } });

    // THEN
    const { document } = Tailnet.of(chart).synth();
    expect(document.nodeAttrs).toStrictEqual([{ target: ['tag:k8s-funnel'], attr: ['funnel'] }]);
    expect(document.tagOwners?.['tag:k8s-funnel']).toStrictEqual(['tag:k8s-operator']);
  });

  test('allow() lets tailnet principals reach it too', () => {
    const chart = chartWithOperator('web');
    const funnel = new FunnelIngress(chart, 'my-public-app', PUBLIC_APP);
    expect(funnel.allow(['group:ops']).grants).toStrictEqual([
      {
        src: ['group:ops'],
        dst: ['tag:k8s-funnel'],
        ip: ['tcp:443'],
      },
    ]);
  });

  test('warns that a redirect on port 80 is not reachable from the internet', () => {
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const chart = chartWithOperator('web');
      const funnel = new FunnelIngress(chart, 'my-public-app', { ...PUBLIC_APP, httpRedirect: true });
      expect(funnel.warnings).toHaveLength(1);
      expect(funnel.warnings[0]).toMatch(/Funnel ports: 443, 8443, 10000/);
      expect(emit).toHaveBeenCalledWith(funnel.warnings[0], 'TailkubeWarning');
    } finally {
      emit.mockRestore();
    }
  });

  test('fails without the public opt-in, before the construct exists', () => {
    const chart = chartWithOperator('web');
    const error = validationError(
      () =>
        new FunnelIngress(chart, 'app', {
          defaultBackend: PUBLIC_APP.defaultBackend!,
        } as unknown as FunnelIngressProps),
    );
    expect([error.path, error.field, error.value]).toStrictEqual([
      "FunnelIngress 'web/app'",
      'public',
      undefined,
    ]);
    expect(chart.node.tryFindChild('app')).toBeUndefined();
  });

  test('fails on a ProxyGroup, saying the operator does not funnel them', () => {
    const chart = chartWithOperator('web');
    const group = new ProxyGroup(chart, 'ingress', { type: 'ingress' });
    const error = validationError(
      () =>
        new FunnelIngress(chart, 'app', {
          ...PUBLIC_APP,
          proxyGroup: group,
        } as unknown as FunnelIngressProps),
    );
    expect([error.field, error.value]).toStrictEqual(['proxyGroup', 'ingress']);
    expect(error.message).toMatch(/standalone proxy only/);
  });

  test('property: random props either fail validation or give an Ingress Kubernetes accepts', () => {
    const port = fc.oneof(
      { arbitrary: fc.constantFrom<number | string>(80, 443, 8080, 'http', 'https'), weight: 6 },
      { arbitrary: fc.constantFrom<number | string>(0, 70000, '80', ''), weight: 1 },
    );
    const backend = fc.record({ serviceName: fc.constantFrom('app', 'traefik', 'Bad'), port });
    /** An optional field: absent half the time (never present as `undefined`). */
    const maybe = <T>(key: string, value: fc.Arbitrary<T>) =>
      fc.option(value, { nil: undefined, freq: 2 }).map((v) => (v === undefined ? {} : { [key]: v }));
    const arbitrary = fc
      .tuple(
        fc.oneof(
          { arbitrary: fc.constant({ public: true }), weight: 8 },
          { arbitrary: fc.constantFrom({ public: false }, {}), weight: 1 },
        ),
        maybe('hostname', fc.constantFrom('app', 'ozilab-edge', 'edge.example.com', 'X')),
        maybe('defaultBackend', backend),
        maybe(
          'paths',
          fc.array(fc.record({ path: fc.constantFrom('/', '/api', 'x'), backend }), { maxLength: 2 }),
        ),
        maybe('httpRedirect', fc.boolean()),
        maybe('tags', fc.array(fc.constantFrom('tag:k8s-funnel', 'tag:edge', 'edge'), { maxLength: 2 })),
      )
      .map((parts) => Object.assign({}, ...parts) as FunnelIngressProps);
    let valid = 0;
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    fc.assert(
      fc.property(arbitrary, (props) => {
        const chart = chartWithOperator('web', { namespace: 'web' });
        try {
          new FunnelIngress(chart, 'app', props);
        } catch (error) {
          expect(isValidationError(error)).toBe(true);
          return;
        }
        valid++;
        const [object] = Testing.synth(chart);
        expect(validateKubeObject(object!)).toStrictEqual([]);
      }),
      { numRuns: 300, seed: 42 },
    );
    emit.mockRestore();
    // The generator reaches valid props too, not only errors.
    expect(valid).toBeGreaterThan(10);
  });
});
