import {
  keyedRecord,
  SERVICE_ANNOTATIONS,
  TAILSCALE_LOAD_BALANCER_CLASS,
  renderTailscaleService,
  resolveTailscaleServiceProps,
  tailscaleServiceMetadata,
  tailscaleServiceRequirements,
  type ExposedServiceSpec,
  type IProxyGroup,
  type TailscaleServiceProps,
} from '../../src/internal';
import { expectValidKubeObjects } from '../../../../test/helpers/schemas';

const PATH = "TailscaleService 'app/web'";
const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const GROUP: IProxyGroup<'ingress'> = {
  name: 'ingress',
  proxyGroupType: 'ingress',
  tags: ['tag:ingress'],
  replicas: 2,
};
const OWNED: ExposedServiceSpec = {
  name: 'web',
  namespace: 'apps',
  annotatable: true,
  hasSelector: true,
  selector: { app: 'web' },
  ports: [{ name: 'http', port: 80, targetPort: 8080 }],
};
const NAMED: ExposedServiceSpec = { name: 'web', namespace: 'apps', annotatable: false, hasSelector: false };

function resolve(props: TailscaleServiceProps, service: ExposedServiceSpec = OWNED) {
  return resolveTailscaleServiceProps(PATH, props, service);
}

describe('the operator annotations', () => {
  test('are the names the operator reads', () => {
    expect(SERVICE_ANNOTATIONS).toStrictEqual({
      expose: 'tailscale.com/expose',
      hostname: 'tailscale.com/hostname',
      tags: 'tailscale.com/tags',
      proxyGroup: 'tailscale.com/proxy-group',
      proxyClass: 'tailscale.com/proxy-class',
    });
    expect(TAILSCALE_LOAD_BALANCER_CLASS).toBe('tailscale');
  });
});

describe('tailscaleServiceMetadata', () => {
  test('annotate, standalone: expose, hostname and tags (always), the ProxyClass as a label', () => {
    expect(
      tailscaleServiceMetadata(resolve({ tags: ['tag:web', 'tag:k8s'], proxyClass: { name: 'prod' } })),
    ).toStrictEqual({
      annotations: {
        'tailscale.com/expose': 'true',
        'tailscale.com/hostname': 'apps-web',
        'tailscale.com/tags': 'tag:web,tag:k8s',
      },
      labels: { 'tailscale.com/proxy-class': 'prod' },
    });
  });

  test('annotate on a ProxyGroup: the group is named', () => {
    expect(
      tailscaleServiceMetadata(resolve({ proxyGroup: GROUP, hostname: 'web' })).annotations,
    ).toStrictEqual({
      'tailscale.com/expose': 'true',
      'tailscale.com/hostname': 'web',
      'tailscale.com/proxy-group': 'ingress',
      'tailscale.com/tags': 'tag:k8s',
    });
  });
});

describe('an annotated LoadBalancer Service', () => {
  test('of class tailscale is exposed by its class: no redundant expose annotation', () => {
    const service = { ...OWNED, type: 'LoadBalancer', loadBalancerClass: 'tailscale' };
    expect(tailscaleServiceMetadata(resolve({ hostname: 'web' }, service)).annotations).toStrictEqual({
      'tailscale.com/hostname': 'web',
      'tailscale.com/tags': 'tag:k8s',
    });
  });

  test('of another class still needs the expose annotation', () => {
    const service = { ...OWNED, type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb' };
    expect(tailscaleServiceMetadata(resolve({}, service)).annotations['tailscale.com/expose']).toBe('true');
  });
});

describe('renderTailscaleService', () => {
  test('annotate renders no companion', () => {
    expect(renderTailscaleService(resolve({}))).toBeUndefined();
  });

  test('load-balancer: a companion of class tailscale selecting the same pods on the same target ports', () => {
    const service = renderTailscaleService(resolve({ mechanism: 'load-balancer', proxyGroup: GROUP }));
    expect(service).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web-tailscale',
        namespace: 'apps',
        labels: MANAGED,
        annotations: {
          'tailscale.com/hostname': 'apps-web',
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
    expectValidKubeObjects([service!]);
  });

  test('load-balancer: a port mapped to another target port, 80 to pods serving 8080', () => {
    const companion = renderTailscaleService(
      resolve(
        { mechanism: 'load-balancer', ports: [{ port: 80, targetPort: 8080 }] },
        { ...OWNED, ports: [{ port: 8080 }] },
      ),
    );
    expect(companion?.['spec']).toStrictEqual({
      type: 'LoadBalancer',
      loadBalancerClass: 'tailscale',
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
    });
    expectValidKubeObjects([companion!]);
  });

  test('external-name: an ExternalName Service with expose, pointing at the cluster DNS name', () => {
    const service = renderTailscaleService(
      resolve({ ports: [{ port: 5432 }], name: 'db-ts' }, { ...NAMED, name: 'db' }),
    );
    expect(service).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'db-ts',
        namespace: 'apps',
        labels: MANAGED,
        annotations: {
          'tailscale.com/expose': 'true',
          'tailscale.com/hostname': 'apps-db',
          'tailscale.com/tags': 'tag:k8s',
        },
      },
      spec: { type: 'ExternalName', externalName: 'db.apps.svc.cluster.local' },
    });
    expectValidKubeObjects([service!]);
  });
});

describe('tailscaleServiceRequirements', () => {
  test('standalone: the device hostname and tags', () => {
    expect(tailscaleServiceRequirements(PATH, resolve({ tags: ['tag:web'] }))).toStrictEqual({
      source: PATH,
      proxyTags: ['tag:web'],
      claims: [{ kind: 'hostname', field: 'hostname', hostname: 'apps-web' }],
    });
  });

  test('ProxyGroup: svc:<hostname> approved for the group tags, with the services scope', () => {
    expect(tailscaleServiceRequirements(PATH, resolve({ proxyGroup: GROUP, hostname: 'web' }))).toStrictEqual(
      {
        source: PATH,
        proxyTags: ['tag:k8s'],
        autoApprovers: { services: keyedRecord([['svc:web', ['tag:ingress']]]) },
        oauthScopes: ['services'],
        claims: [
          { kind: 'hostname', field: 'hostname', hostname: 'web' },
          {
            kind: 'proxy-group-use',
            field: 'proxyGroup',
            objectKind: 'Service',
            namespace: 'apps',
            proxyGroup: 'ingress',
            list: 'ingress',
          },
        ],
      },
    );
  });
});
