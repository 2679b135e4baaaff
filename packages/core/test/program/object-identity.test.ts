import {
  ObjectIdentities,
  checkObjectIdentities,
  objectIdentity,
  type KubeObjectIdentity,
} from '../../src/internal';
import { failure } from '../helpers/tailnet';

const service = (name: string, namespace?: string): KubeObjectIdentity => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...(namespace !== undefined && { namespace }) },
});

describe('objectIdentity', () => {
  test.each<[string, KubeObjectIdentity, KubeObjectIdentity, boolean]>([
    ['one Service twice', service('db', 'apps'), service('db', 'apps'), true],
    ['namespaces apart', service('db', 'apps'), service('db', 'web'), false],
    ['names apart', service('db', 'apps'), service('web', 'apps'), false],
    [
      'kinds apart',
      service('web', 'apps'),
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'apps' } },
      false,
    ],
    [
      'versions of one group and kind',
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'ProxyGroupPolicy',
        metadata: { name: 'p', namespace: 'a' },
      },
      {
        apiVersion: 'tailscale.com/v1beta1',
        kind: 'ProxyGroupPolicy',
        metadata: { name: 'p', namespace: 'a' },
      },
      true,
    ],
    [
      'groups apart with one kind',
      { apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 'db', namespace: 'apps' } },
      service('db', 'apps'),
      false,
    ],
    [
      'a cluster-scoped kind stamped with two namespaces',
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'ProxyClass',
        metadata: { name: 'prod', namespace: 'a' },
      },
      { apiVersion: 'tailscale.com/v1alpha1', kind: 'ProxyClass', metadata: { name: 'prod' } },
      true,
    ],
    [
      'a ClusterRoleBinding in two charts',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'x', namespace: 'a' },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'x', namespace: 'b' },
      },
      true,
    ],
  ])('%s: same identity is %p', (_, a, b, same) => {
    expect(objectIdentity(a) === objectIdentity(b)).toBe(same);
  });
});

describe('ObjectIdentities', () => {
  test('fails when a second construct declares an object the first one did, naming both', () => {
    const identities = new ObjectIdentities();
    identities.claim("EgressService 'a/db'", service('db', 'default'));
    const error = failure(() => identities.claim("EgressService 'b/db'", service('db', 'default')));
    expect({
      path: error.path,
      field: error.field,
      value: error.value,
      allowed: error.allowed,
    }).toStrictEqual({
      path: "EgressService 'b/db'",
      field: 'metadata.name',
      value: 'db',
      allowed: 'a name no other Service (v1) of the program has in namespace "default"',
    });
    expect(error.message).toContain("EgressService 'a/db' already declares it");
  });

  test('fails for a cluster-scoped kind whatever the namespaces', () => {
    const error = failure(() =>
      checkObjectIdentities([
        {
          source: "Connector 'a/office'",
          object: {
            apiVersion: 'tailscale.com/v1alpha1',
            kind: 'Connector',
            metadata: { name: 'office', namespace: 'a' },
          },
        },
        {
          source: "Connector 'b/office'",
          object: { apiVersion: 'tailscale.com/v1alpha1', kind: 'Connector', metadata: { name: 'office' } },
        },
      ]),
    );
    expect(error.path).toBe("Connector 'b/office'");
    expect(error.allowed).toBe(
      'a name no other Connector (tailscale.com/v1alpha1) of the program has in the cluster',
    );
  });

  test('distinct objects pass, and each check starts afresh', () => {
    const objects = [
      { source: "EgressService 'db'", object: service('db', 'apps') },
      { source: "EgressService 'db-web'", object: service('db', 'web') },
    ];
    expect(() => checkObjectIdentities(objects)).not.toThrow();
    expect(() => checkObjectIdentities(objects)).not.toThrow();
  });
});
