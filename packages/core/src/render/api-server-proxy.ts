import { createHash } from 'node:crypto';
import { DNS_SUBDOMAIN_PATTERN } from '../validate/scalars';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';

const RBAC_API_GROUP = 'rbac.authorization.k8s.io';

/** A reference from an RBAC binding to a role or a subject. */
export interface RbacReference {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

/** A ClusterRoleBinding as plain data. */
export interface ClusterRoleBindingObject extends KubeObject {
  readonly roleRef: RbacReference;
  readonly subjects: readonly RbacReference[];
}

/** A ClusterRoleBinding of one Kubernetes group to a ClusterRole. */
export function renderGroupBinding(
  name: string,
  group: string,
  clusterRole: string,
): ClusterRoleBindingObject {
  return {
    apiVersion: `${RBAC_API_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...MANAGED_BY_LABELS } },
    roleRef: { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name: clusterRole },
    subjects: [{ apiGroup: RBAC_API_GROUP, kind: 'Group', name: group }],
  };
}

/**
 * The binding's object name, `<proxy>-<group>-<role>`, readable when the group and role are
 * already valid name parts; otherwise made valid and suffixed with a hash of the exact pair, so
 * two groups that differ only in characters a name cannot hold still get two bindings.
 */
export function bindingName(proxy: string, group: string, clusterRole: string): string {
  const exact = `${proxy}-${group}-${clusterRole}`;
  if (exact.length <= 253 && DNS_SUBDOMAIN_PATTERN.test(exact)) return exact;
  const hash = createHash('sha256').update(`${group}\u0000${clusterRole}`).digest('hex').slice(0, 8);
  const readable = exact
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 240)
    .replace(/[-.]+$/, '');
  return `${readable}-${hash}`;
}
