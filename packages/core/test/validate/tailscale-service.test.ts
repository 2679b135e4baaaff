import {
  resolveTailscaleServiceProps,
  type ExposedServiceSpec,
  type IProxyGroup,
  type TailscaleServiceProps,
} from '../../src/internal';
import { failure } from '../helpers/tailnet';

const PATH = "TailscaleService 'app/web'";
const GROUP: IProxyGroup<'ingress'> = {
  name: 'ingress',
  proxyGroupType: 'ingress',
  tags: ['tag:ingress'],
  replicas: 2,
};
/** A Service object the program owns (cdk8s ApiObject). */
const OWNED: ExposedServiceSpec = {
  name: 'web',
  namespace: 'apps',
  annotatable: true,
  hasSelector: true,
  selector: { app: 'web' },
  type: 'ClusterIP',
  ports: [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'dns', port: 53, protocol: 'UDP' },
  ],
};
/** A Service resource whose selector the framework resolves later (Pulumi). */
const RESOURCE: ExposedServiceSpec = {
  name: 'web',
  namespace: 'apps',
  annotatable: false,
  hasSelector: true,
};
/** A Service known only by name. */
const NAMED: ExposedServiceSpec = { name: 'web', namespace: 'apps', annotatable: false, hasSelector: false };

describe('resolveTailscaleServiceProps', () => {
  test('defaults: annotate an owned Service, hostname <namespace>-<name>, tag:k8s, its ports', () => {
    const resolved = resolveTailscaleServiceProps(PATH, {}, OWNED);
    expect(resolved).toStrictEqual({
      mechanism: 'annotate',
      hostname: 'apps-web',
      tags: ['tag:k8s'],
      ports: OWNED.ports,
      name: 'web-tailscale',
      service: OWNED,
    });
  });

  test.each([
    ['an owned Service object', OWNED, 'annotate'],
    ['a Service resource with a selector', RESOURCE, 'load-balancer'],
    ['a Service known by name', NAMED, 'external-name'],
  ])('the default mechanism for %s is %s', (_, service, mechanism) => {
    const props: TailscaleServiceProps = { ports: [{ port: 80 }] };
    expect(resolveTailscaleServiceProps(PATH, props, service).mechanism).toBe(mechanism);
  });

  test('given ports are completed from the Service (targetPort and name)', () => {
    const resolved = resolveTailscaleServiceProps(PATH, { ports: [{ port: 80 }] }, OWNED);
    expect(resolved.ports).toStrictEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
  });

  test('load-balancer maps a port to another target port: 80 to pods serving 8080', () => {
    const service: ExposedServiceSpec = { ...OWNED, ports: [{ name: 'http', port: 8080, targetPort: 8080 }] };
    const resolved = resolveTailscaleServiceProps(
      PATH,
      { mechanism: 'load-balancer', ports: [{ port: 80, targetPort: 8080 }] },
      service,
    );
    expect(resolved.ports).toStrictEqual([{ port: 80, targetPort: 8080 }]);
    // The Service's own ports still complete a port given by number.
    expect(
      resolveTailscaleServiceProps(PATH, { mechanism: 'load-balancer', ports: [{ port: 8080 }] }, service)
        .ports,
    ).toStrictEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
  });

  const BAD: [string, TailscaleServiceProps, ExposedServiceSpec, string, unknown, string][] = [
    [
      'the Service is headless and annotated',
      {},
      { ...OWNED, clusterIP: 'None' },
      'service',
      'apps/web (clusterIP: None)',
      'a Service with a cluster IP: the operator does not expose headless Services',
    ],
    [
      'a ProxyGroup is asked for through an ExternalName Service',
      { proxyGroup: GROUP, ports: [{ port: 80 }] },
      NAMED,
      'proxyGroup',
      'ingress',
      'absent for an ExternalName Service: the operator exposes a Service on a ProxyGroup through its ClusterIP',
    ],
    [
      'the annotated Service is itself an ExternalName Service on a ProxyGroup',
      { proxyGroup: GROUP, ports: [{ port: 80 }] },
      { name: 'web', namespace: 'apps', annotatable: true, hasSelector: false, type: 'ExternalName' },
      'proxyGroup',
      'ingress',
      'absent for an ExternalName Service: the operator exposes a Service on a ProxyGroup through its ClusterIP',
    ],
    [
      'a ProxyClass is set with a ProxyGroup',
      { proxyGroup: GROUP, proxyClass: { name: 'prod' } },
      OWNED,
      'proxyClass',
      'prod',
      'absent when `proxyGroup` is set',
    ],
    [
      'a Service resource is to be annotated',
      { mechanism: 'annotate', ports: [{ port: 80 }] },
      RESOURCE,
      'mechanism',
      'annotate',
      '"load-balancer" or "external-name": the program cannot add annotations to apps/web',
    ],
    [
      'a companion LoadBalancer cannot know the pods',
      { mechanism: 'load-balancer', ports: [{ port: 80 }] },
      NAMED,
      'mechanism',
      'load-balancer',
      '"external-name" or "annotate": the pod selector of apps/web is unknown, so a companion Service cannot select its pods',
    ],
    [
      'the default hostname is too long',
      {},
      { ...OWNED, name: 'w'.repeat(60) },
      'hostname',
      `apps-${'w'.repeat(60)}`,
      'a DNS label of 2 to 63 lower-case letters, digits and dashes',
    ],
    [
      'the hostname is not a DNS label',
      { hostname: 'Web_1' },
      OWNED,
      'hostname',
      'Web_1',
      'a DNS label of 2 to 63 lower-case letters, digits and dashes, not starting or ending with a dash',
    ],
    [
      'a tag lacks its prefix',
      { tags: ['web'] },
      OWNED,
      'tags[0]',
      'web',
      'a tag such as "tag:k8s" (letters, digits and dashes after "tag:", starting with a letter)',
    ],
    [
      'the tags are empty',
      { tags: [] },
      OWNED,
      'tags',
      [],
      'at least one tag (leave `tags` out for ["tag:k8s"])',
    ],
    ['no port is known', {}, NAMED, 'ports', [], 'at least one port'],
    ['a port is out of range', { ports: [{ port: 0 }] }, NAMED, 'ports[0].port', 0, 'a port from 1 to 65535'],
    [
      'a port is not one of the Service',
      { ports: [{ port: 443 }] },
      OWNED,
      'ports[0]',
      { port: 443 },
      'a port of apps/web: 80/TCP, 53/UDP',
    ],
    [
      'a load-balancer port the Service does not have comes without its target port',
      { mechanism: 'load-balancer', ports: [{ port: 443 }] },
      OWNED,
      'ports[0].targetPort',
      undefined,
      "the pods' port for 443/TCP, which apps/web does not have",
    ],
    [
      'an annotated Service is asked to map a port to another target port',
      { ports: [{ port: 80, targetPort: 9090 }] },
      OWNED,
      'ports[0].targetPort',
      9090,
      'absent or 8080: apps/web maps port 80 itself',
    ],
    [
      'an ExternalName companion is asked to map a port',
      { ports: [{ port: 80, targetPort: 8080 }] },
      NAMED,
      'ports[0].targetPort',
      8080,
      'absent or 80: apps/web maps port 80 itself',
    ],
    [
      'a port is listed twice',
      { ports: [{ port: 80 }, { port: 80 }] },
      OWNED,
      'ports[1]',
      { name: 'http', port: 80, targetPort: 8080 },
      'listed once',
    ],
    [
      'the companion name is not a Service name',
      { mechanism: 'load-balancer', name: '1web' },
      OWNED,
      'name',
      '1web',
      'a Service name: at most 63 lower-case letters, digits and dashes, starting with a letter',
    ],
  ];
  test.each(BAD)('fails when %s', (_, props, service, field, value, allowed) => {
    const error = failure(() => resolveTailscaleServiceProps(PATH, props, service));
    expect({
      path: error.path,
      field: error.field,
      value: error.value,
      allowed: error.allowed,
    }).toStrictEqual({
      path: PATH,
      field,
      value,
      allowed,
    });
  });

  test('the mapping message says which mechanism maps ports', () => {
    const error = failure(() =>
      resolveTailscaleServiceProps(PATH, { ports: [{ port: 80, targetPort: 9090 }] }, OWNED),
    );
    expect(error.message).toContain('only `mechanism: "load-balancer"` maps a port to another target port');
  });

  test('fails for a headless Service with a message that says what to do instead', () => {
    expect(() => resolveTailscaleServiceProps(PATH, {}, { ...OWNED, clusterIP: 'None' })).toThrow(
      'TailscaleService \'app/web\': `service` must be a Service with a cluster IP: the operator does not expose headless Services, got "apps/web (clusterIP: None)"; use `mechanism: "load-balancer"`: a companion Service selecting the same pods has a cluster IP',
    );
  });

  test('a headless Service is exposed through a companion LoadBalancer', () => {
    const resolved = resolveTailscaleServiceProps(
      PATH,
      { mechanism: 'load-balancer' },
      { ...OWNED, clusterIP: 'None' },
    );
    expect(resolved.mechanism).toBe('load-balancer');
  });
});

describe('a load-balancer companion with more than one port', () => {
  const unnamed: ExposedServiceSpec = {
    ...OWNED,
    ports: [
      { port: 5432, targetPort: 5432 },
      { port: 9187, targetPort: 9187 },
    ],
  };

  test('fails when a port has no name, once the target ports are known', () => {
    const error = failure(() =>
      resolveTailscaleServiceProps(
        PATH,
        { mechanism: 'load-balancer', ports: [{ port: 5432 }, { port: 9187 }] },
        unnamed,
      ),
    );
    expect({ path: error.path, field: error.field, value: error.value }).toStrictEqual({
      path: PATH,
      field: 'ports[0].name',
      value: undefined,
    });
  });

  test('fails when two ports share a name', () => {
    const error = failure(() =>
      resolveTailscaleServiceProps(
        PATH,
        {
          mechanism: 'load-balancer',
          ports: [
            { port: 5432, name: 'db' },
            { port: 9187, name: 'db' },
          ],
        },
        unnamed,
      ),
    );
    expect({ field: error.field, value: error.value }).toStrictEqual({ field: 'ports[1].name', value: 'db' });
  });

  test('names from the target or the props pass; unknown target ports wait (Pulumi checks on resolve)', () => {
    expect(() => resolveTailscaleServiceProps(PATH, { mechanism: 'load-balancer' }, OWNED)).not.toThrow();
    expect(() =>
      resolveTailscaleServiceProps(
        PATH,
        {
          mechanism: 'load-balancer',
          ports: [
            { port: 5432, name: 'pg' },
            { port: 9187, name: 'metrics' },
          ],
        },
        unnamed,
      ),
    ).not.toThrow();
    expect(() =>
      resolveTailscaleServiceProps(
        PATH,
        { mechanism: 'load-balancer', ports: [{ port: 5432 }, { port: 9187 }] },
        RESOURCE,
      ),
    ).not.toThrow();
  });
});
