import type { PolicyDocument } from '../document';
import { compareStrings } from '../order';
import { covers, isExitRoute, parseRange } from './addresses';
import { nodeMatches, selectorContext } from './selectors';
import type { Topology } from './topology';

/**
 * The routes `autoApprovers` approve per device, out of the routes it advertises.
 *
 * A subnet route is approved when it lies inside an `autoApprovers.routes` prefix whose approvers
 * include the device; an exit route (`0.0.0.0/0`, `::/0`) only through `autoApprovers.exitNode`.
 */
export function approveRoutes(policy: PolicyDocument, topology: Topology): Record<string, string[]> {
  // Most devices advertise no route: without any, no selector needs resolving.
  if (Object.values(topology.nodes).every((node) => (node.routable_ips ?? []).length === 0)) {
    const none: Record<string, string[]> = {};
    for (const name of Object.keys(topology.nodes)) none[name] = [];
    return none;
  }
  const context = selectorContext(policy, topology, {});
  // Parsed once: a tailnet of many routers checks every route against every prefix.
  const prefixes = Object.entries(policy.autoApprovers?.routes ?? {}).flatMap(([prefix, approvers]) => {
    const outer = parseRange(prefix);
    return outer === undefined ? [] : [{ outer, approvers }];
  });
  const result: Record<string, string[]> = {};
  for (const node of context.nodes) {
    const approvedBy = (selectors: readonly string[]): boolean =>
      selectors.some((selector) => nodeMatches(context, node, selector));
    result[node.name] = (node.node.routable_ips ?? [])
      .filter((route) => {
        if (isExitRoute(route)) return approvedBy(policy.autoApprovers?.exitNode ?? []);
        const range = parseRange(route);
        return (
          range !== undefined &&
          prefixes.some(({ outer, approvers }) => covers(outer, range) && approvedBy(approvers))
        );
      })
      .sort(compareStrings);
  }
  return result;
}
