import { Chart, Testing, type App } from 'cdk8s';
import fc from 'fast-check';
import { canConnect, type EgressPort, type EgressServiceProps as CoreProps } from '@tailkube/core/internal';
import {
  EgressService,
  ProxyClass,
  ProxyGroup,
  TailscaleOperator,
  Tailnet,
  type EgressServiceProps,
  type IProxyGroup,
  type ValidationError,
  isValidationError,
} from '@tailkube/cdk8s';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const FQDN = 'db.example-tailnet.ts.net';
const POSTGRES: EgressServiceProps = {
  tailnetFqdn: FQDN,
  policyTarget: 'tag:db',
  ports: [{ port: 5432, name: 'postgres' }],
};
/** The admins own the database's tag; the operator owns the proxies'. */
const BASE_POLICY =
  '{"groups": {"group:admins": ["alice@example.com"]}, "tagOwners": {"tag:db": ["group:admins"]}}';

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

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

/** A chart in an app whose operator (in a chart of its own) owns the proxies' tags. */
function chartWithOperator(id: string, props: { namespace?: string } = {}): Chart {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: BASE_POLICY });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  return new Chart(app, id, props);
}

describe('EgressService (cdk8s)', () => {
  test('standalone: an ExternalName Service in the chart namespace, schema-valid', () => {
    // GIVEN
    const chart = chartWithOperator('db', { namespace: 'apps' });

    // WHEN
    const egress = new EgressService(chart, 'postgres', POSTGRES);

    // THEN
    const objects = Testing.synth(chart);
    expect(objects).toStrictEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'postgres',
          namespace: 'apps',
          labels: MANAGED,
          annotations: { 'tailscale.com/tailnet-fqdn': FQDN, 'tailscale.com/tags': 'tag:k8s' },
        },
        spec: {
          type: 'ExternalName',
          externalName: 'placeholder',
          ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
        },
      },
    ]);
    expectValidKubeObjects(objects);
    expect(egress.dnsName).toBe('postgres.apps.svc.cluster.local');
    expect(egress.ports).toStrictEqual([{ port: 5432, name: 'postgres' }]);
    expect(egress.hostnames).toStrictEqual(['apps-postgres']);
  });

  test('the namespace prop wins over the chart; a chart without one means `default`', () => {
    const chart = chartWithOperator('db', { namespace: 'apps' });
    const other = new Chart(chart.node.root as App, 'plain');
    expect(new EgressService(chart, 'a', { ...POSTGRES, namespace: 'data' }).namespace).toBe('data');
    expect(new EgressService(other, 'b', POSTGRES).dnsName).toBe('b.default.svc.cluster.local');
  });

  test('a standalone proxy with its tags, hostname and a ProxyClass the program owns', () => {
    const chart = chartWithOperator('db', { namespace: 'apps' });
    const prod = new ProxyClass(chart, 'prod');
    const egress = new EgressService(chart, 'postgres', {
      ...POSTGRES,
      tags: ['tag:db-client'],
      hostname: 'postgres-egress',
      proxyClass: prod,
    });
    expect(egress.apiObject.toJson().metadata).toStrictEqual({
      name: 'postgres',
      namespace: 'apps',
      labels: { ...MANAGED, 'tailscale.com/proxy-class': 'prod' },
      annotations: {
        'tailscale.com/tailnet-fqdn': FQDN,
        'tailscale.com/tags': 'tag:db-client',
        'tailscale.com/hostname': 'postgres-egress',
      },
    });
  });

  test('on an egress ProxyGroup: the group annotation, and the grant from the group tags', () => {
    // GIVEN
    const chart = chartWithOperator('db', { namespace: 'apps' });
    const group = new ProxyGroup(chart, 'egress', { type: 'egress', tags: ['tag:k8s-egress'] });

    // WHEN
    const egress = new EgressService(chart, 'postgres', { ...POSTGRES, proxyGroup: group });

    // THEN
    expect(egress.apiObject.toJson().metadata.annotations).toStrictEqual({
      'tailscale.com/tailnet-fqdn': FQDN,
      'tailscale.com/proxy-group': 'egress',
    });
    expect(egress.hostnames).toStrictEqual([]);
    expect(egress.grants).toStrictEqual([{ src: ['tag:k8s-egress'], dst: ['tag:db'], ip: ['tcp:5432'] }]);
    expect(Tailnet.of(chart).synth().document.grants).toStrictEqual(egress.grants);
  });

  test('an ingress ProxyGroup does not compile, and fails at run time for JavaScript callers', () => {
    const chart = chartWithOperator('db');
    const ingress = new ProxyGroup(chart, 'ingress', { type: 'ingress' });
    // @ts-expect-error: an egress Service takes an egress ProxyGroup only.
    const props: EgressServiceProps = { ...POSTGRES, proxyGroup: ingress };
    const error = validationError(() => new EgressService(chart, 'postgres', props));
    expect(fields(error)).toStrictEqual({
      path: "EgressService 'db/postgres'",
      field: 'proxyGroup.proxyGroupType',
      value: 'ingress',
      allowed: '"egress": an egress Service runs on an egress ProxyGroup',
    });
    expect(chart.node.tryFindChild('postgres')).toBeUndefined();
  });

  test('the policy: the proxy tags reach exactly port 5432 on the database tag, verified offline', () => {
    // GIVEN
    const chart = chartWithOperator('db', { namespace: 'apps' });

    // WHEN
    new EgressService(chart, 'postgres', POSTGRES);

    // THEN
    const { document, report } = Tailnet.of(chart).synth();
    expect(document.grants).toStrictEqual([{ src: ['tag:k8s'], dst: ['tag:db'], ip: ['tcp:5432'] }]);
    expect(document.tagOwners?.['tag:k8s']).toStrictEqual(['tag:k8s-operator']);
    expect(report.intendedAccess).toStrictEqual([
      { src: 'tag:k8s', dst: 'tag:db', port: 5432, expect: 'allow' },
    ]);
    expect(report.hostnames).toContain('apps-postgres');
    expect(canConnect(document, undefined, { from: 'tag:k8s', to: 'tag:db', port: 5432 }).allowed).toBe(true);
    expect(canConnect(document, undefined, { from: 'tag:k8s', to: 'tag:db', port: 5433 }).allowed).toBe(
      false,
    );
  });

  test('fails when the FQDN is deeper than the operator accepts, before the construct exists', () => {
    const chart = chartWithOperator('db');
    const error = validationError(
      () => new EgressService(chart, 'postgres', { ...POSTGRES, tailnetFqdn: 'db.prod.example.ts.net' }),
    );
    expect(error.message).toBe(
      'EgressService \'db/postgres\': `tailnetFqdn` must be a MagicDNS name "<device>.<tailnet>.ts.net" (the operator refuses deeper names and custom control server domains), got "db.prod.example.ts.net"; only two labels may come before "ts.net"',
    );
    expect(chart.node.tryFindChild('postgres')).toBeUndefined();
  });

  test('fails when the egress Services on one ProxyGroup map 1000 ports: the health check takes one', () => {
    const chart = chartWithOperator('db');
    const group = new ProxyGroup(chart, 'egress', { type: 'egress' });
    const ports = (from: number, count: number): EgressPort[] =>
      Array.from({ length: count }, (_, i) => ({ port: from + i, name: `p${from + i}` }));
    new EgressService(chart, 'a', { tailnetIp: '100.100.12.7', ports: ports(1000, 998), proxyGroup: group });
    new EgressService(chart, 'b', { tailnetIp: '100.100.12.8', ports: ports(3000, 2), proxyGroup: group });
    const error = validationError(() => Tailnet.of(chart).synth());
    expect(fields(error)).toStrictEqual({
      path: "EgressService 'db/b'",
      field: 'ports',
      value: '2 ports',
      allowed: 'ports that keep ProxyGroup "egress" at 999 or fewer (the operator\'s limit)',
    });
  });

  test('fails when created after the policy was rendered', () => {
    const chart = chartWithOperator('db');
    Tailnet.of(chart).synth();
    const error = validationError(() => new EgressService(chart, 'late', POSTGRES));
    expect([error.path, error.field]).toStrictEqual(["EgressService 'db/late'", 'tailnet']);
    expect(chart.node.tryFindChild('late')).toBeUndefined();
  });

  test('random targets and ports: a ValidationError, or a schema-valid Service whose grant covers exactly its ports', () => {
    const group: IProxyGroup<'egress'> = {
      name: 'egress',
      proxyGroupType: 'egress',
      tags: ['tag:k8s-egress'],
      replicas: 2,
    };
    const maybe = <T>(key: string, arb: fc.Arbitrary<T>) =>
      fc.option(
        arb.map((value) => ({ [key]: value })),
        { nil: {}, freq: 1 },
      );
    const fqdn = fc.constantFrom(FQDN, 'db.prod.example.ts.net', 'db', 'DB.Example.ts.net.');
    const ip = fc.constantFrom('100.100.12.7', 'fd7a:115c:a1e0::5', '100.64.0.0/10', '100.064.0.1');
    const target = fc.oneof(
      { arbitrary: fqdn.map((tailnetFqdn) => ({ tailnetFqdn })), weight: 4 },
      { arbitrary: ip.map((tailnetIp) => ({ tailnetIp })), weight: 4 },
      { arbitrary: fc.record({ tailnetFqdn: fqdn, tailnetIp: ip }), weight: 1 },
      { arbitrary: fc.constant({}), weight: 1 },
    );
    const port = fc.record(
      {
        port: fc.oneof(
          { arbitrary: fc.integer({ min: 1, max: 65535 }), weight: 5 },
          fc.constantFrom(0, 70000, 1.5),
        ),
        name: fc.constantFrom('pg', 'web', 'dns', 'Bad_Name', 'a-very-long-name-that-is-fine'),
        protocol: fc.constantFrom<'TCP' | 'UDP'>('TCP', 'UDP'),
      },
      { requiredKeys: ['port'] },
    );
    const arbitrary = fc
      .tuple(
        target,
        maybe(
          'policyTarget',
          fc.constantFrom('tag:db', 'db-primary', '100.100.12.9', 'group:dbs', '10.0.0.0/8'),
        ),
        fc.record({ ports: fc.array(port, { maxLength: 3 }) }),
        maybe('proxyGroup', fc.constant(group)),
        maybe('tags', fc.constantFrom(['tag:k8s'], ['tag:db-client'], [], ['k8s'])),
      )
      .map((parts) => Object.assign({}, ...parts) as CoreProps);
    let valid = 0;
    fc.assert(
      fc.property(arbitrary, (props) => {
        const app = Testing.app();
        new Tailnet(app, 'Tailnet', {
          allowAll: 'deny',
          basePolicy: `{"tagOwners": {"tag:db": [], "tag:k8s-egress": []}, "hosts": {"db-primary": "100.100.12.7"}}`,
        });
        new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
        const chart = new Chart(app, 'db', { namespace: 'apps' });
        let egress: EgressService;
        try {
          egress = new EgressService(chart, 'egress', props);
        } catch (error) {
          expect(isValidationError(error)).toBe(true);
          return;
        }
        valid++;
        const objects = Testing.synth(chart);
        expectValidKubeObjects(objects);
        const { document } = Tailnet.of(app).synth();
        const target = egress.props.policyTarget;
        for (const tag of egress.props.proxyTags) {
          for (const declared of props.ports) {
            const proto = (declared.protocol ?? 'TCP').toLowerCase();
            expect(
              canConnect(document, undefined, { from: tag, to: target, port: declared.port, proto }).allowed,
            ).toBe(true);
          }
          const undeclared = [1, 2, 3].map(
            (n) => props.ports.reduce((max, p) => Math.max(max, p.port), 0) + n,
          );
          for (const other of undeclared) {
            expect(canConnect(document, undefined, { from: tag, to: target, port: other }).allowed).toBe(
              false,
            );
          }
        }
        expect(document.grants).toStrictEqual(egress.grants);
      }),
      { numRuns: 300, seed: 7 },
    );
    // The generator reaches valid props too, not only errors.
    expect(valid).toBeGreaterThan(10);
  });
});
