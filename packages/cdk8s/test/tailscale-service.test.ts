import { ApiObject, Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import {
  ProxyGroup,
  TailscaleOperator,
  TailscaleService,
  Tailnet,
  type ValidationError,
  isValidationError,
  type TailscaleServiceProps,
} from '@tailkube/cdk8s';
import { ValidationError as CoreValidationError, type IProxyGroup } from '@tailkube/core';
import { expectValidKubeObjects, validateKubeObject } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const BASE_POLICY = '{"groups": {"group:eng": ["alice@example.com"]}}';
/** An ingress ProxyGroup as the ProxyGroup construct presents itself. */
const GROUP: IProxyGroup<'ingress'> = {
  name: 'ingress',
  proxyGroupType: 'ingress',
  tags: ['tag:ingress'],
  replicas: 2,
};

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

/** A chart in an app whose operator owns the proxies' tags, with the group's tags registered. */
function chartWithOperator(id: string, props: { namespace?: string } = {}): Chart {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: BASE_POLICY });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  // What the ProxyGroup construct registers for its devices.
  Tailnet.of(app).register({ source: "ProxyGroup 'ingress'", proxyTags: GROUP.tags });
  return new Chart(app, id, props);
}

/** The program's own Service: ClusterIP, selecting `app: web`, port 80 → 8080. */
function webService(chart: Chart, spec: Record<string, unknown> = {}): ApiObject {
  return new ApiObject(chart, 'web-svc', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      ...spec,
    },
  });
}

function service(chart: Chart, name: string): Record<string, unknown> {
  const found = Testing.synth(chart).find((o) => o.kind === 'Service' && o.metadata.name === name);
  if (!found) throw new Error(`no Service ${name}`);
  return found;
}

describe('TailscaleService (cdk8s)', () => {
  test('annotate: the program’s own Service gets the operator’s annotations', () => {
    // GIVEN
    const chart = chartWithOperator('apps', { namespace: 'apps' });
    const web = webService(chart);

    // WHEN
    const exposed = new TailscaleService(chart, 'web', { service: web, tags: ['tag:web'] });

    // THEN
    expect(exposed.apiObject).toBe(web);
    expect(exposed.hostname).toBe('apps-web');
    expect(service(chart, 'web')).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web',
        namespace: 'apps',
        annotations: {
          'tailscale.com/expose': 'true',
          'tailscale.com/hostname': 'apps-web',
          'tailscale.com/tags': 'tag:web',
        },
      },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    expect(Testing.synth(chart)).toHaveLength(1);
    expectValidKubeObjects(Testing.synth(chart));
  });

  test('an object wrapping an ApiObject (a cdk8s-plus Service) is annotated the same way', () => {
    const chart = chartWithOperator('apps', { namespace: 'apps' });
    const web = webService(chart);
    new TailscaleService(chart, 'web', { service: { apiObject: web }, proxyClass: { name: 'prod' } });
    const metadata = service(chart, 'web')['metadata'] as Record<string, unknown>;
    expect(metadata['labels']).toStrictEqual({ 'tailscale.com/proxy-class': 'prod' });
  });

  test('load-balancer: a companion of class tailscale selecting the same pods, on a ProxyGroup', () => {
    // GIVEN
    const chart = chartWithOperator('apps', { namespace: 'apps' });

    // WHEN
    new TailscaleService(chart, 'web', {
      service: webService(chart),
      mechanism: 'load-balancer',
      proxyGroup: GROUP,
      hostname: 'web',
    });

    // THEN
    expect(service(chart, 'web-tailscale')).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web-tailscale',
        namespace: 'apps',
        labels: MANAGED,
        annotations: {
          'tailscale.com/hostname': 'web',
          'tailscale.com/proxy-group': 'ingress',
          'tailscale.com/tags': 'tag:k8s',
        },
      },
      spec: {
        type: 'LoadBalancer',
        loadBalancerClass: 'tailscale',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      },
    });
    // The user's Service is left as it was.
    expect((service(chart, 'web')['metadata'] as Record<string, unknown>)['annotations']).toBeUndefined();
    const { document, report } = Tailnet.of(chart).synth();
    expect(document.autoApprovers?.services).toStrictEqual({ 'svc:web': ['tag:ingress'] });
    expect(report.operator?.scopes).toContain('services');
  });

  test('load-balancer maps a port to another target port: tailnet 80 to pods serving 8080', () => {
    // GIVEN
    const chart = chartWithOperator('apps', { namespace: 'apps' });
    const web = webService(chart, { ports: [{ name: 'http', port: 8080, targetPort: 8080 }] });

    // WHEN
    const exposed = new TailscaleService(chart, 'web', {
      service: web,
      mechanism: 'load-balancer',
      ports: [{ port: 80, targetPort: 8080 }],
    });
    exposed.allow(['group:eng']);

    // THEN
    const spec = service(chart, 'web-tailscale')['spec'];
    expect(spec).toStrictEqual({
      type: 'LoadBalancer',
      loadBalancerClass: 'tailscale',
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
    });
    expectValidKubeObjects(Testing.synth(chart));
    expect(Tailnet.of(chart).synth().document.grants).toContainEqual({
      src: ['group:eng'],
      dst: ['tag:k8s'],
      ip: ['tcp:80'],
    });
  });

  test('annotate on a LoadBalancer of class tailscale adds no redundant expose annotation', () => {
    // GIVEN
    const chart = chartWithOperator('apps', { namespace: 'apps' });
    const web = webService(chart, { type: 'LoadBalancer', loadBalancerClass: 'tailscale' });

    // WHEN
    new TailscaleService(chart, 'web', { service: web, hostname: 'web' });

    // THEN
    expect((service(chart, 'web')['metadata'] as Record<string, unknown>)['annotations']).toStrictEqual({
      'tailscale.com/hostname': 'web',
      'tailscale.com/tags': 'tag:k8s',
    });
    expectValidKubeObjects(Testing.synth(chart));
  });

  test('external-name: a Service known by name gets an ExternalName companion', () => {
    const chart = chartWithOperator('apps', { namespace: 'apps' });
    new TailscaleService(chart, 'grafana', {
      service: { name: 'grafana', namespace: 'monitoring' },
      ports: [{ port: 3000 }],
    });
    expect(service(chart, 'grafana-tailscale')).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'grafana-tailscale',
        namespace: 'monitoring',
        labels: MANAGED,
        annotations: {
          'tailscale.com/expose': 'true',
          'tailscale.com/hostname': 'monitoring-grafana',
          'tailscale.com/tags': 'tag:k8s',
        },
      },
      spec: { type: 'ExternalName', externalName: 'grafana.monitoring.svc.cluster.local' },
    });
  });

  test('allow() grants exactly the device tags on the ports, and records the intended access', () => {
    // GIVEN
    const chart = chartWithOperator('apps', { namespace: 'apps' });
    const exposed = new TailscaleService(chart, 'web', { service: webService(chart), tags: ['tag:web'] });

    // WHEN
    const [grant] = exposed.allow(['group:eng']).grants;

    // THEN
    expect(grant).toStrictEqual({ src: ['group:eng'], dst: ['tag:web'], ip: ['tcp:80'] });
    const { document, report } = Tailnet.of(chart).synth();
    expect(document.grants).toStrictEqual([grant]);
    expect(report.intendedAccess).toStrictEqual([
      { src: 'group:eng', dst: 'tag:web', port: 80, expect: 'allow' },
      { src: 'autogroup:member', dst: 'tag:web', port: 80, expect: 'deny' },
    ]);
  });

  test('allow() on a ProxyGroup grants svc:<hostname>, never the group devices', () => {
    const chart = chartWithOperator('apps', { namespace: 'apps' });
    const exposed = new TailscaleService(chart, 'web', {
      service: webService(chart),
      proxyGroup: GROUP,
      hostname: 'web',
    });
    expect(exposed.allow(['group:eng']).grants).toStrictEqual([
      {
        src: ['group:eng'],
        dst: ['svc:web'],
        ip: ['tcp:80'],
      },
    ]);
    expect(Tailnet.of(chart).synth().document.grants).toStrictEqual([
      { src: ['group:eng'], dst: ['svc:web'], ip: ['tcp:80'] },
    ]);
  });

  test('takes an ingress ProxyGroup; the type refuses an egress one', () => {
    const chart = chartWithOperator('apps');
    const ingress = new ProxyGroup(chart, 'ingress-pg', { type: 'ingress' });
    const egress = new ProxyGroup(chart, 'egress-pg', { type: 'egress' });
    const web = webService(chart);
    new TailscaleService(chart, 'web', { service: web, proxyGroup: ingress });
    // @ts-expect-error an egress ProxyGroup cannot serve an exposed Service
    const props: TailscaleServiceProps = { service: web, proxyGroup: egress };
    expect(props.proxyGroup?.proxyGroupType).toBe('egress');
    expect(Tailnet.of(chart).synth().document.autoApprovers?.services).toStrictEqual({
      'svc:default-web': ['tag:k8s'],
    });
  });

  test('nothing is granted unless allow() is called', () => {
    const chart = chartWithOperator('apps');
    new TailscaleService(chart, 'web', { service: webService(chart) });
    expect(Tailnet.of(chart).synth().document.grants ?? []).toStrictEqual([]);
  });

  test('fails when the Service is headless, before anything is added', () => {
    const chart = chartWithOperator('apps', { namespace: 'apps' });
    const web = webService(chart, { clusterIP: 'None' });
    expect(fields(validationError(() => new TailscaleService(chart, 'web', { service: web })))).toStrictEqual(
      {
        path: "TailscaleService 'apps/web'",
        field: 'service',
        value: 'apps/web (clusterIP: None)',
        allowed: 'a Service with a cluster IP: the operator does not expose headless Services',
      },
    );
    expect(chart.node.tryFindChild('web')).toBeUndefined();
    expect((service(chart, 'web')['metadata'] as Record<string, unknown>)['annotations']).toBeUndefined();
  });

  test('fails when a ProxyGroup is asked for through an ExternalName companion', () => {
    const chart = chartWithOperator('apps');
    const error = validationError(
      () =>
        new TailscaleService(chart, 'db', {
          service: { name: 'db' },
          proxyGroup: GROUP,
          ports: [{ port: 5432 }],
        }),
    );
    expect(error.field).toBe('proxyGroup');
    expect(error.message).toContain('the operator exposes a Service on a ProxyGroup through its ClusterIP');
  });

  test('fails when the object is not a Service', () => {
    const chart = chartWithOperator('apps');
    const deployment = new ApiObject(chart, 'dep', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
    });
    expect(validationError(() => new TailscaleService(chart, 'web', { service: deployment })).field).toBe(
      'service',
    );
  });

  test('fails when two Services ask for one hostname', () => {
    const chart = chartWithOperator('apps');
    new TailscaleService(chart, 'a', { service: { name: 'a' }, hostname: 'web', ports: [{ port: 80 }] });
    new TailscaleService(chart, 'b', { service: { name: 'b' }, hostname: 'web', ports: [{ port: 80 }] });
    expect(validationError(() => Tailnet.of(chart).synth()).field).toBe('hostname');
  });

  test('fails when allow() names a port the Service does not expose', () => {
    const chart = chartWithOperator('apps');
    const exposed = new TailscaleService(chart, 'web', { service: webService(chart) });
    expect(fields(validationError(() => exposed.allow(['group:eng'], { ports: [443] })))).toStrictEqual({
      path: "TailscaleService 'apps/web'",
      field: 'ports[0]',
      value: 443,
      allowed: 'one of the exposed ports [80]',
    });
  });

  test('property: random props either fail validation or give schema-valid objects whose grant covers exactly the ports', () => {
    const port = fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 65535 }), weight: 5 },
      { arbitrary: fc.constantFrom(0, 70000, 1.5), weight: 1 },
    );
    const servicePort = fc.record(
      { port, protocol: fc.constantFrom('TCP', 'UDP') as fc.Arbitrary<'TCP' | 'UDP'> },
      { requiredKeys: ['port'] },
    );
    const hostname = fc.oneof(
      { arbitrary: fc.constantFrom('web', 'db-1', 'grafana'), weight: 4 },
      { arbitrary: fc.constantFrom('Web', '-x', 'a', 'z'.repeat(64)), weight: 1 },
    );
    const tag = fc.oneof(
      { arbitrary: fc.constantFrom('tag:web', 'tag:k8s', 'tag:db'), weight: 4 },
      { arbitrary: fc.constantFrom('web', 'tag:1x'), weight: 1 },
    );
    const props = fc.record(
      {
        mechanism: fc.constantFrom('annotate', 'load-balancer', 'external-name') as fc.Arbitrary<
          'annotate' | 'load-balancer' | 'external-name'
        >,
        hostname,
        tags: fc.array(tag, { maxLength: 3 }),
        proxyClass: fc.constant({ name: 'prod' }),
        proxyGroup: fc.constant(GROUP),
        ports: fc.array(servicePort, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    const target = fc.constantFrom('object', 'headless', 'name');
    fc.assert(
      fc.property(props, target, (given, kind) => {
        const chart = chartWithOperator('apps', { namespace: 'apps' });
        const service =
          kind === 'name'
            ? { name: 'web' }
            : webService(chart, {
                ports: [
                  { name: 'http', port: 80, targetPort: 8080 },
                  { name: 'dns', port: 53, protocol: 'UDP' },
                ],
                ...(kind === 'headless' && { clusterIP: 'None' }),
              });
        let exposed: TailscaleService;
        try {
          exposed = new TailscaleService(chart, 'web', { ...given, service } as TailscaleServiceProps);
        } catch (error) {
          if (error instanceof CoreValidationError) return;
          throw error;
        }
        const [grant] = exposed.allow(['group:eng']).grants;
        const objects = Testing.synth(chart);
        for (const object of objects) expect(validateKubeObject(object)).toStrictEqual([]);
        const wanted = exposed.props.ports.map((p) => `${(p.protocol ?? 'TCP').toLowerCase()}:${p.port}`);
        expect([...grant!.ip!].sort()).toStrictEqual([...new Set(wanted)].sort());
        expect(grant!.dst).toStrictEqual(
          exposed.props.proxyGroup ? [`svc:${exposed.hostname}`] : [...exposed.tags].sort(),
        );
        Tailnet.of(chart).synth();
      }),
      { numRuns: 150 },
    );
  });
});
