import type { IConstruct } from 'constructs';
import { checkedConstructPath } from '@tailkube/core/internal';

/**
 * How the construct `id` under `scope` is named in messages: `Kind 'chart/id'`. Takes the scope
 * and id, not the construct, so props are checked before the construct joins the tree; an id
 * `constructs` cannot hold (`__proto__`, not a string) is refused first.
 */
export function pathOf(kind: string, scope: IConstruct, id: string): string {
  return checkedConstructPath(kind, scope.node.path, id);
}
