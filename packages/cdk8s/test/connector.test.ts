import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import {
  Connector,
  ProxyClass,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
  type ConnectorProps,
} from '@tailkube/cdk8s';
import { validateKubeObject } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const HOME_OPS: ConnectorProps = {
  subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
  exitNode: true,
  tags: ['tag:home-ops'],
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

/** A base policy that defines the groups the tests allow. */
const BASE_POLICY = '{"groups": {"group:family": ["alice@example.com"], "group:eng": ["bob@example.com"]}}';

/** A chart in an app whose operator (in a chart of its own) owns the Connectors' tags. */
function chartWithOperator(id: string, props: { namespace?: string } = {}): Chart {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', { basePolicy: BASE_POLICY, allowAll: 'deny' });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  return new Chart(app, id, props);
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('Connector (cdk8s)', () => {
  test('a subnet router and exit node, cluster-scoped in a namespaced chart', () => {
    // GIVEN
    const chart = chartWithOperator('home', { namespace: 'apps' });

    // WHEN
    new Connector(chart, 'home-ops', HOME_OPS);

    // THEN
    expect(Testing.synth(chart)).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'Connector',
        metadata: { name: 'home-ops', labels: MANAGED },
        spec: {
          subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
          exitNode: true,
          tags: ['tag:home-ops'],
        },
      },
    ]);
  });

  test('refers to a ProxyClass the program owns, or one by name', () => {
    // GIVEN
    const chart = chartWithOperator('home');
    const prod = new ProxyClass(chart, 'prod');
    const shared = ProxyClass.fromName(chart, 'shared', 'platform-default');

    // WHEN
    new Connector(chart, 'a', { exitNode: true, proxyClass: prod });
    new Connector(chart, 'b', { exitNode: true, proxyClass: shared });

    // THEN
    const specs = Testing.synth(chart)
      .filter((o) => o['kind'] === 'Connector')
      .map((o) => o['spec']);
    expect(specs).toStrictEqual([
      { exitNode: true, tags: ['tag:k8s'], proxyClass: 'prod' },
      { exitNode: true, tags: ['tag:k8s'], proxyClass: 'platform-default' },
    ]);
  });

  test('exposes the hostnames the operator will request', () => {
    const chart = new Chart(Testing.app(), 'home');
    expect(new Connector(chart, 'home-ops', HOME_OPS).hostnames).toStrictEqual(['home-ops-connector']);
    expect(
      new Connector(chart, 'exit', { exitNode: true, hostnamePrefix: 'exit', replicas: 2 }).hostnames,
    ).toStrictEqual(['exit-0', 'exit-1']);
  });

  test('the policy approves the routes and exit node for exactly its tags', () => {
    // GIVEN
    const app = Testing.app();
    new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');

    // WHEN
    new Connector(new Chart(app, 'home'), 'home-ops', HOME_OPS);

    // THEN
    const { document, report } = Tailnet.of(app).synth();
    expect(document.autoApprovers).toStrictEqual({
      routes: {
        '10.244.0.0/16': ['tag:home-ops'],
        '10.96.0.0/12': ['tag:home-ops'],
        '192.168.0.0/24': ['tag:home-ops'],
      },
      exitNode: ['tag:home-ops'],
    });
    expect(document.tagOwners?.['tag:home-ops']).toStrictEqual(['tag:k8s-operator']);
    expect(document.grants ?? []).toStrictEqual([]);
    expect(report.hostnames).toStrictEqual(['home-ops-connector', 'tailscale-operator']);
  });

  test('allow() grants the routes and the internet via the tags, and returns the grants', () => {
    // GIVEN
    const chart = chartWithOperator('home');
    const connector = new Connector(chart, 'home-ops', HOME_OPS);

    // WHEN
    const { grants } = connector.allow(['group:family']);

    // THEN
    const expected = [
      { src: ['group:family'], dst: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'], ip: ['*'] },
      { src: ['group:family'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:home-ops'] },
    ];
    expect(grants).toStrictEqual(expected);
    expect(Tailnet.of(chart).synth().document.grants).toStrictEqual(expected);
  });

  test('allow() records the access it means, checked offline: routes and internet, not every member', () => {
    // GIVEN
    const chart = chartWithOperator('home');
    const connector = new Connector(chart, 'home-ops', HOME_OPS);

    // WHEN
    connector.allow(['group:family'], { ports: ['tcp:443'] });

    // THEN
    const targets = ['10.244.0.1', '10.96.0.1', '192.168.0.1', 'autogroup:internet'];
    expect(Tailnet.of(chart).synth().report.intendedAccess).toStrictEqual(
      targets.flatMap((dst) => [
        { src: 'group:family', dst, port: 443, expect: 'allow' },
        { src: 'autogroup:member', dst, port: 443, expect: 'deny' },
      ]),
    );
  });

  test('an app connector puts its domains in nodeAttrs', () => {
    const app = Testing.app();
    new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    new Connector(new Chart(app, 'apps'), 'github', {
      appConnector: { domains: ['github.com'] },
      tags: ['tag:github-connector'],
    });
    const { document } = Tailnet.of(app).synth();
    expect(document.nodeAttrs).toStrictEqual([
      {
        target: ['*'],
        app: {
          'tailscale.com/app-connectors': [
            { name: 'github', connectors: ['tag:github-connector'], domains: ['github.com'] },
          ],
        },
      },
    ]);
    expect(document.autoApprovers).toStrictEqual({
      routes: { '0.0.0.0/0': ['tag:github-connector'], '::/0': ['tag:github-connector'] },
    });
  });

  test('fails when a route has host bits set, before the construct exists', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'home');

    // WHEN
    const error = validationError(
      () =>
        new Connector(chart, 'office', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8', '10.0.0.1/8'] } }),
    );

    // THEN
    expect(fields(error)).toStrictEqual({
      path: "Connector 'home/office'",
      field: 'subnetRouter.advertiseRoutes[1]',
      value: '10.0.0.1/8',
      allowed: 'a masked CIDR such as "10.0.0.0/8"',
    });
    expect(error.message).toBe(
      "Connector 'home/office': `subnetRouter.advertiseRoutes[1]` must be a masked CIDR such as " +
        '"10.0.0.0/8", got "10.0.0.1/8"; did you mean "10.0.0.0/8"?',
    );
    expect(chart.node.tryFindChild('office')).toBeUndefined();
  });

  test('fails when two Connectors advertise the same route without HA, at synth', () => {
    const app = Testing.app();
    new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    const chart = new Chart(app, 'home');
    new Connector(chart, 'a', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } });
    new Connector(chart, 'b', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } });
    expect(fields(validationError(() => Tailnet.of(app).synth()))).toStrictEqual({
      path: "Connector 'home/b'",
      field: 'subnetRouter.advertiseRoutes',
      value: '10.0.0.0/8',
      allowed:
        'a route no other construct in the program advertises, unless both are meant as a high-availability pair',
    });
  });

  test('fails when allow() names a bare name', () => {
    const chart = new Chart(Testing.app(), 'home');
    const connector = new Connector(chart, 'home-ops', HOME_OPS);
    expect(fields(validationError(() => connector.allow(['family'])))).toStrictEqual({
      path: "Connector 'home/home-ops'",
      field: 'principals[0]',
      value: 'family',
      allowed:
        'a policy principal such as "group:family", "alice@example.com", "tag:ci" or "autogroup:member"',
    });
  });

  test('property: random props either fail validation or give a Connector the CRD accepts', () => {
    const route = fc.oneof(
      fc.constantFrom(
        '10.0.0.0/8',
        '10.0.0.1/8',
        '192.168.0.0/24',
        '0.0.0.0/0',
        '::/0',
        'fd00::/8',
        '10.1',
        '',
      ),
      fc
        .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(32))
        .map(([a, b, c, d, bits]) => `${a}.${b}.${c}.${d}/${bits}`),
    );
    const name = fc.oneof(
      { arbitrary: fc.constantFrom('home-ops', 'ab', 'exit-1'), weight: 4 },
      { arbitrary: fc.constantFrom('Bad_Name', 'x.y', '-x', 'z'.repeat(70)), weight: 1 },
      { arbitrary: fc.string(), weight: 1 },
    );
    /** An optional field: absent half the time (never present as `undefined`). */
    const maybe = <T>(key: string, value: fc.Arbitrary<T>) =>
      fc.option(value, { nil: undefined, freq: 2 }).map((v) => (v === undefined ? {} : { [key]: v }));
    const subnetRouter = fc.record({ advertiseRoutes: fc.array(route, { maxLength: 3 }) });
    const appConnector = fc.record({
      domains: fc.array(fc.constantFrom('github.com', '*.example.com', 'Bad Domain', ''), { maxLength: 2 }),
    });
    const role = fc.oneof(
      fc.record({ subnetRouter }),
      fc.record({ exitNode: fc.boolean() }),
      fc.record({ subnetRouter, exitNode: fc.boolean() }),
      fc.tuple(appConnector, maybe('routes', fc.array(route, { maxLength: 2 }))).map(([app, routes]) => ({
        appConnector: { ...app, ...routes },
      })),
      fc.record({ subnetRouter, appConnector }),
      fc.constant({}),
    );
    const arbitrary = fc
      .tuple(
        role,
        maybe('hostname', name),
        maybe('hostnamePrefix', name),
        maybe(
          'replicas',
          fc.oneof({ arbitrary: fc.integer({ min: 0, max: 4 }), weight: 4 }, fc.constantFrom(-1, 1.5)),
        ),
        maybe(
          'tags',
          fc.array(fc.constantFrom('tag:k8s', 'tag:home-ops', 'tag:home-ops', 'k8s', 'tag:'), {
            maxLength: 2,
          }),
        ),
        maybe('proxyClass', fc.record({ name })),
        maybe('highAvailability', fc.boolean()),
      )
      .map((parts) => Object.assign({}, ...parts) as ConnectorProps);
    let valid = 0;
    fc.assert(
      fc.property(arbitrary, (props) => {
        const chart = chartWithOperator('home', { namespace: 'apps' });
        try {
          new Connector(chart, 'c', props);
        } catch (error) {
          expect(isValidationError(error)).toBe(true);
          return;
        }
        valid++;
        const [object] = Testing.synth(chart);
        // The CRD's schema and its CEL rules.
        expect(validateKubeObject(object!)).toStrictEqual([]);
      }),
      { numRuns: 500, seed: 42 },
    );
    // The generator reaches valid props too, not only errors.
    expect(valid).toBeGreaterThan(10);
  });
});
