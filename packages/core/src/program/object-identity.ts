import { ValidationError } from '@tailkube/policy';

/** What identifies a Kubernetes object: its type and metadata, as any framework holds them. */
export interface KubeObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string | undefined; readonly namespace?: string | undefined };
}

/**
 * Kinds without a namespace, by `group/Kind` (`/Kind` for the core group): a namespace written on
 * one of them does not make it another object. Kubernetes' own (`kubectl api-resources
 * --namespaced=false`) that a program may declare, and the operator's CRDs with `scope: Cluster`
 * (cmd/k8s-operator/deploy/crds at v1.102.3).
 */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'networking.k8s.io/IngressClass',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/StorageClass',
  'tailscale.com/Connector',
  'tailscale.com/DNSConfig',
  'tailscale.com/PeerRelay',
  'tailscale.com/ProxyClass',
  'tailscale.com/ProxyGroup',
  'tailscale.com/Recorder',
  'tailscale.com/Tailnet',
]);

/**
 * The key the API server stores an object under: API group (not version: `v1beta1` and `v1` of a
 * kind are one object), kind, namespace (none for a cluster-scoped kind) and name.
 */
export function objectIdentity(object: KubeObjectIdentity): string {
  const kind = groupKind(object);
  const namespace = CLUSTER_SCOPED.has(kind) ? '' : (object.metadata.namespace ?? '');
  return `${kind} ${namespace}/${object.metadata.name ?? ''}`;
}

function groupKind(object: KubeObjectIdentity): string {
  const slash = object.apiVersion.lastIndexOf('/');
  return `${slash < 0 ? '' : object.apiVersion.slice(0, slash)}/${object.kind}`;
}

/** The namespace that counts: none for a cluster-scoped kind. */
function namespaceOf(object: KubeObjectIdentity): string | undefined {
  return CLUSTER_SCOPED.has(groupKind(object)) ? undefined : object.metadata.namespace;
}

/**
 * The objects a program declares, by identity, with the construct that declares each (`Kind 'path'`).
 * Two objects with one identity would not both exist: applying them, one replaces the other.
 */
export class ObjectIdentities {
  readonly #owners = new Map<string, ObjectSource>();

  /**
   * Records `object` for `source`; throws a {@link ValidationError} if another source declared it.
   * `source` may be a function, called only for a message (naming costs a walk up a construct tree).
   */
  claim(source: ObjectSource, object: KubeObjectIdentity): void {
    const identity = objectIdentity(object);
    const first = this.#owners.get(identity);
    if (first === undefined) {
      this.#owners.set(identity, source);
      return;
    }
    const owner = nameOf(first);
    const path = nameOf(source);
    const namespace = namespaceOf(object);
    const where = namespace === undefined ? 'in the cluster' : `in namespace "${namespace}"`;
    throw new ValidationError({
      path,
      field: 'metadata.name',
      value: object.metadata.name,
      allowed: `a name no other ${object.kind} (${object.apiVersion}) of the program has ${where}`,
      hint:
        owner === path
          ? `${path} declares it twice`
          : `${owner} already declares it; applied together, one would silently replace the other`,
    });
  }
}

/** The construct that declares an object (`Kind 'path'`), or a function that names it. */
export type ObjectSource = string | (() => string);

function nameOf(source: ObjectSource): string {
  return typeof source === 'string' ? source : source();
}

/** Checks a whole program's objects at once (cdk8s: every chart of the app), in order. */
export function checkObjectIdentities(
  objects: Iterable<{ readonly source: ObjectSource; readonly object: KubeObjectIdentity }>,
): void {
  const identities = new ObjectIdentities();
  for (const { source, object } of objects) identities.claim(source, object);
}
