import type { IConstruct } from 'constructs';
import { constructPath } from '@tailkube/core/internal';

/**
 * How the construct `id` under `scope` is named in messages: `Kind 'chart/id'`. Takes the scope
 * and id, not the construct, so props are checked before the construct joins the tree.
 */
export function pathOf(kind: string, scope: IConstruct, id: string): string {
  return constructPath(kind, scope.node.path ? `${scope.node.path}/${id}` : id);
}
