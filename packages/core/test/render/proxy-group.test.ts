import {
  keyedRecord,
  TailnetModel,
  proxyGroupHostnames,
  proxyGroupRequirements,
  proxyGroupServiceName,
  renderProxyGroup,
  resolveProxyGroupProps,
  type ProxyGroupProps,
  type ResolvedProxyGroupProps,
  type TailnetRequirements,
} from '../../src/internal';
import { defaultOperatorRequirements, failure } from '../helpers/tailnet';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

function resolve(props: ProxyGroupProps, name = 'ingress'): ResolvedProxyGroupProps {
  return resolveProxyGroupProps(`ProxyGroup '${name}'`, name, props);
}

/** A tailnet with the operator and the given requirements, sealed. */
function seal(...requirements: TailnetRequirements[]) {
  const model = new TailnetModel("Tailnet 'tailnet'");
  model.register(defaultOperatorRequirements());
  for (const req of requirements) model.register(req);
  return model.seal();
}

function group(props: ProxyGroupProps, name = 'ingress'): TailnetRequirements {
  return proxyGroupRequirements(`ProxyGroup '${name}'`, resolve(props, name));
}

describe('renderProxyGroup', () => {
  test('an ingress group: cluster-scoped, replicas and tags always rendered', () => {
    expect(renderProxyGroup(resolve({ type: 'ingress' }))).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'ProxyGroup',
      metadata: { name: 'ingress', labels: MANAGED },
      spec: { type: 'ingress', replicas: 2, tags: ['tag:k8s'] },
    });
  });

  test('prefix, tags and ProxyClass', () => {
    expect(
      renderProxyGroup(
        resolve({
          type: 'egress',
          replicas: 3,
          hostnamePrefix: 'egress',
          tags: ['tag:egress'],
          proxyClass: { name: 'prod' },
        }),
      )['spec'],
    ).toStrictEqual({
      type: 'egress',
      replicas: 3,
      hostnamePrefix: 'egress',
      tags: ['tag:egress'],
      proxyClass: 'prod',
    });
  });

  test('a kube-apiserver group renders its resolved mode and hostname', () => {
    expect(renderProxyGroup(resolve({ type: 'kube-apiserver' }, 'api'))['spec']).toStrictEqual({
      type: 'kube-apiserver',
      replicas: 2,
      tags: ['tag:k8s'],
      kubeAPIServer: { mode: 'auth', hostname: 'api' },
    });
  });
});

describe('proxyGroupHostnames and proxyGroupServiceName', () => {
  test.each<[string, ProxyGroupProps, string[]]>([
    ['<name>-<i> by default', { type: 'ingress' }, ['ingress-0', 'ingress-1']],
    [
      '<prefix>-<i> with a prefix',
      { type: 'ingress', hostnamePrefix: 'web', replicas: 3 },
      ['web-0', 'web-1', 'web-2'],
    ],
    ['none without replicas', { type: 'egress', replicas: 0 }, []],
  ])('%s', (_name, props, expected) => {
    expect(proxyGroupHostnames(resolve(props))).toStrictEqual(expected);
  });

  test('only a kube-apiserver group serves a Tailscale Service of its own', () => {
    expect(proxyGroupServiceName(resolve({ type: 'ingress' }))).toBeUndefined();
    expect(proxyGroupServiceName(resolve({ type: 'kube-apiserver' }, 'api'))).toBe('svc:api');
    expect(
      proxyGroupServiceName(resolve({ type: 'kube-apiserver', kubeAPIServer: { hostname: 'k8s' } }, 'api')),
    ).toBe('svc:k8s');
  });
});

describe('proxyGroupRequirements', () => {
  test('an ingress group: tags, device hostnames and its cluster-scoped name; no approvals of its own', () => {
    expect(group({ type: 'ingress', tags: ['tag:web', 'tag:ha'] })).toStrictEqual({
      source: "ProxyGroup 'ingress'",
      proxyTags: ['tag:web', 'tag:ha'],
      claims: [
        { kind: 'cluster-object', field: 'name', objectKind: 'ProxyGroup', name: 'ingress' },
        { kind: 'hostname', field: 'hostnamePrefix', hostname: 'ingress-0' },
        { kind: 'hostname', field: 'hostnamePrefix', hostname: 'ingress-1' },
      ],
    });
  });

  test('a kube-apiserver group: its Tailscale Service approved for its tags, the services scope, the hostname claimed', () => {
    expect(
      group(
        { type: 'kube-apiserver', tags: ['tag:k8s-api', 'tag:a'], kubeAPIServer: { hostname: 'k8s' } },
        'api',
      ),
    ).toStrictEqual({
      source: "ProxyGroup 'api'",
      proxyTags: ['tag:k8s-api', 'tag:a'],
      privilegedPods: false,
      claims: [
        { kind: 'cluster-object', field: 'name', objectKind: 'ProxyGroup', name: 'api' },
        { kind: 'hostname', field: 'hostnamePrefix', hostname: 'api-0' },
        { kind: 'hostname', field: 'hostnamePrefix', hostname: 'api-1' },
        { kind: 'hostname', field: 'kubeAPIServer.hostname', hostname: 'k8s' },
      ],
      autoApprovers: { services: keyedRecord([['svc:k8s', ['tag:a', 'tag:k8s-api']]]) },
      oauthScopes: ['services'],
    });
  });

  test('the rendered policy: tags owned by the operator, the service approved, the scope requested', () => {
    const { document, report } = seal(
      group({ type: 'ingress', tags: ['tag:web'] }),
      group({ type: 'kube-apiserver', tags: ['tag:k8s-api'] }, 'api'),
      group({ type: 'egress' }, 'egress'),
    );
    expect(document.tagOwners).toStrictEqual({
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-api': ['tag:k8s-operator'],
      'tag:k8s-operator': [],
      'tag:web': ['tag:k8s-operator'],
    });
    expect(document.autoApprovers).toStrictEqual({ services: { 'svc:api': ['tag:k8s-api'] } });
    expect(document.grants ?? []).toStrictEqual([]);
    expect(report.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core', 'services']);
    expect(report.hostnames).toStrictEqual([
      'api',
      'api-0',
      'api-1',
      'egress-0',
      'egress-1',
      'ingress-0',
      'ingress-1',
      'tailscale-operator',
    ]);
  });

  test('groups without a Tailscale Service of their own ask for no services scope', () => {
    const { report } = seal(group({ type: 'ingress' }), group({ type: 'egress' }, 'egress'));
    expect(report.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core']);
  });

  test('fails when two ProxyGroups share a name', () => {
    const error = failure(() =>
      seal(
        group({ type: 'ingress', hostnamePrefix: 'a' }, 'pg'),
        group({ type: 'egress', hostnamePrefix: 'b' }, 'pg'),
      ),
    );
    expect([error.field, error.value, error.allowed]).toStrictEqual([
      'name',
      'pg',
      'a ProxyGroup name no other construct in the program uses',
    ]);
  });

  test('fails when two groups would ask for the same device hostname', () => {
    const error = failure(() =>
      seal(
        group({ type: 'ingress', hostnamePrefix: 'pg' }, 'a'),
        group({ type: 'egress', hostnamePrefix: 'pg' }, 'b'),
      ),
    );
    expect([error.path, error.field, error.value]).toStrictEqual([
      "ProxyGroup 'b'",
      'hostnamePrefix',
      'pg-0',
    ]);
  });

  test('fails when an API server hostname is a device hostname too', () => {
    const error = failure(() =>
      seal(
        group({ type: 'ingress' }, 'web'),
        group({ type: 'kube-apiserver', kubeAPIServer: { hostname: 'web-0' } }, 'api'),
      ),
    );
    expect([error.field, error.value]).toStrictEqual(['hostnamePrefix', 'web-0']);
  });
});
