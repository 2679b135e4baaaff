import {
  keyedRecord,
  TailnetModel,
  canConnect,
  deriveTopology,
  renderTailscaleIngress,
  resolveTailscaleIngressProps,
  exposureAllowance,
  tailscaleIngressTarget,
  type AllowOptions,
  tailscaleIngressRequirements,
  type IProxyGroup,
  type ResolvedTailscaleIngressProps,
  type TailscaleIngressProps,
} from '../../src/internal';
import { defaultOperatorRequirements, failure } from '../helpers/tailnet';

/** One `allow` call: the grant it adds and what it registers. */
function tailscaleIngressAccess(
  source: string,
  props: ResolvedTailscaleIngressProps,
  principals: unknown,
  options?: AllowOptions,
) {
  const { allowance, requirements } = exposureAllowance(
    tailscaleIngressTarget(source, props),
    principals,
    options,
  );
  return { grant: allowance.grants[0]!, requirements };
}

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const SOURCE = "TailscaleIngress 'my-dashboard'";
const DASHBOARD: TailscaleIngressProps = {
  hostname: 'my-dashboard',
  defaultBackend: { serviceName: 'dashboard', port: 3000 },
};
const GROUP: IProxyGroup<'ingress'> = {
  name: 'ingress',
  proxyGroupType: 'ingress',
  tags: ['tag:k8s-ingress'],
  replicas: 2,
};
const BASE_POLICY = '{"groups": {"group:eng": ["bob@example.com"]}}';

function resolve(props: TailscaleIngressProps, name = 'my-dashboard'): ResolvedTailscaleIngressProps {
  return resolveTailscaleIngressProps(`TailscaleIngress '${name}'`, { name, namespace: 'apps' }, props);
}

/** A tailnet with the operator, each ingress, and the principals each one allows, sealed. */
function seal(...ingresses: [string, TailscaleIngressProps, string[]][]) {
  const model = new TailnetModel("Tailnet 'tailnet'", { allowAll: 'deny', basePolicy: BASE_POLICY });
  model.register(defaultOperatorRequirements());
  // The ProxyGroup's own registration: its devices' tags, owned by the operator's.
  model.register({ source: "ProxyGroup 'ingress'", proxyTags: GROUP.tags });
  for (const [name, props, principals] of ingresses) {
    const source = `TailscaleIngress '${name}'`;
    const resolved = resolve(props, name);
    model.register(tailscaleIngressRequirements(source, resolved));
    if (principals.length > 0)
      model.register(tailscaleIngressAccess(source, resolved, principals).requirements);
  }
  return model.seal();
}

describe('renderTailscaleIngress', () => {
  test('standalone: the class, one TLS host, the tags always rendered', () => {
    expect(renderTailscaleIngress(resolve(DASHBOARD))).toStrictEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'my-dashboard',
        namespace: 'apps',
        labels: MANAGED,
        annotations: { 'tailscale.com/tags': 'tag:k8s' },
      },
      spec: {
        ingressClassName: 'tailscale',
        defaultBackend: { service: { name: 'dashboard', port: { number: 3000 } } },
        tls: [{ hosts: ['my-dashboard'] }],
      },
    });
  });

  test('without a hostname no TLS block: the operator names it <namespace>-<name>-ingress', () => {
    const rendered = renderTailscaleIngress(resolve({ defaultBackend: DASHBOARD.defaultBackend! }));
    expect(rendered['spec']).toStrictEqual({
      ingressClassName: 'tailscale',
      defaultBackend: { service: { name: 'dashboard', port: { number: 3000 } } },
    });
  });

  test('paths become one host-less rule, Prefix by default, ports by number or name', () => {
    const rendered = renderTailscaleIngress(
      resolve({
        paths: [
          { path: '/', backend: { serviceName: 'web', port: 'http' } },
          { path: '/api', pathType: 'ImplementationSpecific', backend: { serviceName: 'api', port: 8080 } },
        ],
      }),
    );
    expect(rendered['spec']).toStrictEqual({
      ingressClassName: 'tailscale',
      rules: [
        {
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'web', port: { name: 'http' } } },
              },
              {
                path: '/api',
                pathType: 'ImplementationSpecific',
                backend: { service: { name: 'api', port: { number: 8080 } } },
              },
            ],
          },
        },
      ],
    });
  });

  test('a ProxyGroup, an HTTP endpoint and tags: sorted annotations', () => {
    const rendered = renderTailscaleIngress(
      resolve({ ...DASHBOARD, proxyGroup: GROUP, httpEndpoint: true, tags: ['tag:web', 'tag:dash'] }),
    );
    expect(rendered.metadata).toStrictEqual({
      name: 'my-dashboard',
      namespace: 'apps',
      labels: MANAGED,
      annotations: {
        'tailscale.com/http-endpoint': 'enabled',
        'tailscale.com/proxy-group': 'ingress',
        'tailscale.com/tags': 'tag:web,tag:dash',
      },
    });
  });

  test('a redirect, a ProxyClass label and another IngressClass', () => {
    const rendered = renderTailscaleIngress(
      resolve({ ...DASHBOARD, httpRedirect: true, proxyClass: { name: 'prod' }, ingressClassName: 'ts' }),
    );
    expect(rendered.metadata).toStrictEqual({
      name: 'my-dashboard',
      namespace: 'apps',
      labels: { ...MANAGED, 'tailscale.com/proxy-class': 'prod' },
      annotations: { 'tailscale.com/http-redirect': 'true', 'tailscale.com/tags': 'tag:k8s' },
    });
    expect((rendered['spec'] as Record<string, unknown>)['ingressClassName']).toBe('ts');
  });
});

describe('tailscaleIngressRequirements', () => {
  test('standalone: the tags owned by the operator, the hostname claimed, nothing approved', () => {
    expect(tailscaleIngressRequirements(SOURCE, resolve(DASHBOARD))).toStrictEqual({
      source: SOURCE,
      proxyTags: ['tag:k8s'],
      claims: [{ kind: 'hostname', field: 'hostname', hostname: 'my-dashboard' }],
      backends: [{ field: 'defaultBackend', namespace: 'apps', serviceName: 'dashboard', port: 3000 }],
    });
  });

  test('on a ProxyGroup: svc:<hostname> approved for the group tags, with the services scope', () => {
    expect(tailscaleIngressRequirements(SOURCE, resolve({ ...DASHBOARD, proxyGroup: GROUP }))).toStrictEqual({
      source: SOURCE,
      proxyTags: ['tag:k8s'],
      autoApprovers: { services: keyedRecord([['svc:my-dashboard', ['tag:k8s-ingress']]]) },
      oauthScopes: ['services'],
      claims: [
        { kind: 'hostname', field: 'hostname', hostname: 'my-dashboard' },
        {
          kind: 'proxy-group-use',
          field: 'proxyGroup',
          objectKind: 'Ingress',
          namespace: 'apps',
          proxyGroup: 'ingress',
          list: 'ingress',
        },
      ],
      backends: [{ field: 'defaultBackend', namespace: 'apps', serviceName: 'dashboard', port: 3000 }],
    });
  });
});

describe('tailscaleIngressAccess', () => {
  test('standalone: a grant to exactly its tags on 443', () => {
    expect(tailscaleIngressAccess(SOURCE, resolve(DASHBOARD), ['group:eng']).grant).toStrictEqual({
      src: ['group:eng'],
      dst: ['tag:k8s'],
      ip: ['tcp:443'],
    });
  });

  test('on a ProxyGroup: a grant to its svc: name, on 80 too with an HTTP endpoint', () => {
    const props = resolve({ ...DASHBOARD, proxyGroup: GROUP, httpEndpoint: true });
    expect(tailscaleIngressAccess(SOURCE, props, ['group:eng']).grant).toStrictEqual({
      src: ['group:eng'],
      dst: ['svc:my-dashboard'],
      ip: ['tcp:443', 'tcp:80'],
    });
  });

  test('fails when a principal is a bare name', () => {
    const error = failure(() => tailscaleIngressAccess(SOURCE, resolve(DASHBOARD), ['eng']));
    expect([error.path, error.field, error.value]).toStrictEqual([SOURCE, 'principals[0]', 'eng']);
  });
});

describe('in a tailnet', () => {
  test('the allowed group reaches the standalone Ingress on 443, nobody else does', () => {
    const synthesis = seal(['my-dashboard', DASHBOARD, ['group:eng']]);
    const topology = deriveTopology(synthesis.document, ['bob@example.com', 'alice@example.com']);
    const at = (from: string, port: number) =>
      canConnect(synthesis.document, topology, { from, to: 'tag:k8s', port }).allowed;
    expect([
      at('bob@example.com', 443),
      at('bob@example.com', 80),
      at('alice@example.com', 443),
    ]).toStrictEqual([true, false, false]);
  });

  test('on a ProxyGroup the service is approved for the group and reached by its svc: name', () => {
    const synthesis = seal(['my-dashboard', { ...DASHBOARD, proxyGroup: GROUP }, ['group:eng']]);
    expect(synthesis.document.autoApprovers?.services).toStrictEqual({
      'svc:my-dashboard': ['tag:k8s-ingress'],
    });
    expect(synthesis.report.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core', 'services']);
    const topology = deriveTopology(synthesis.document, ['bob@example.com']);
    expect(
      canConnect(synthesis.document, topology, { from: 'bob@example.com', to: 'svc:my-dashboard', port: 443 })
        .allowed,
    ).toBe(true);
  });

  test('fails when two Ingresses ask for one hostname, at seal', () => {
    const error = failure(() => seal(['a', DASHBOARD, []], ['b', DASHBOARD, []]));
    expect([error.path, error.field, error.value]).toStrictEqual([
      "TailscaleIngress 'b'",
      'hostname',
      'my-dashboard',
    ]);
  });
});
