import { renderProxyGroupPolicy, resolveProxyGroupPolicyProps, type IProxyGroup } from '../../src/internal';

function group<T extends 'ingress' | 'egress'>(name: string, proxyGroupType: T): IProxyGroup<T> {
  return { name, proxyGroupType, tags: ['tag:k8s'], replicas: 2 };
}

describe('renderProxyGroupPolicy', () => {
  test('namespaced, both lists rendered and sorted by name', () => {
    const props = resolveProxyGroupPolicyProps("ProxyGroupPolicy 'allowed'", 'allowed', 'team-a', {
      ingress: [group('web-b', 'ingress'), group('web-a', 'ingress')],
    });
    expect(renderProxyGroupPolicy(props)).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'ProxyGroupPolicy',
      metadata: {
        name: 'allowed',
        namespace: 'team-a',
        labels: { 'app.kubernetes.io/managed-by': 'tailkube' },
      },
      spec: { ingress: ['web-a', 'web-b'], egress: [] },
    });
  });

  test('a deny-all policy renders two empty lists', () => {
    const props = resolveProxyGroupPolicyProps("ProxyGroupPolicy 'deny'", 'deny-all', 'team-a', {});
    expect(renderProxyGroupPolicy(props)['spec']).toStrictEqual({ ingress: [], egress: [] });
  });
});
