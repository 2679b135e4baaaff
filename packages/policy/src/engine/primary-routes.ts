import { formatRange } from './addresses';
import type { ResolvedNode } from './selectors';

/**
 * Elects the primary router of every approved subnet route, as the control plane does for high
 * availability: of the devices serving the same prefix, the earliest registered (the first in the
 * topology's node order, every device taken as online) carries the route for its peers; the others
 * stand by. Exit routes take no part: every approved exit node offers them.
 *
 * @returns the primary device's name per route, keyed by the route as a CIDR prefix
 */
export function electPrimaryRoutes(nodes: readonly ResolvedNode[]): ReadonlyMap<string, string> {
  const primaries = new Map<string, string>();
  for (const node of nodes) {
    for (const route of node.subnetRoutes) {
      const key = formatRange(route);
      if (!primaries.has(key)) primaries.set(key, node.name);
    }
  }
  return primaries;
}
