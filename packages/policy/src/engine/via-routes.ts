import { formatRange, overlaps, type AddressRange } from './addresses';
import {
  addressRanges,
  sourceRanges,
  splitDestination,
  type ResolvedNode,
  type SelectorContext,
} from './selectors';

/**
 * How `via` grants decide whether a peer's subnet route is listed for a viewer:
 * - `steered`: a `via` grant sends the viewer's traffic for the route through this peer; listed.
 * - `primary`: a `via` grant names this peer, but a plain rule covers the route too, so the
 *   high-availability election decides: listed on the primary router only.
 * - `excluded`: `via` grants send the viewer's traffic for the route through other routers; not listed.
 * - `none`: no `via` grant concerns the route for the viewer; the plain rules decide.
 */
export type RouteSteering = 'steered' | 'primary' | 'excluded' | 'none';

/** How `via` grants steer a peer's route for one viewer. */
export type SteeringForViewer = (peer: ResolvedNode, route: AddressRange) => RouteSteering;

/** A grant or ACL reduced to what steering needs. */
interface SteeringRule {
  readonly srcs: readonly AddressRange[];
  /** The destinations written as addresses (prefixes, hosts, IP sets): principals hold no route. */
  readonly dsts: readonly AddressRange[];
  readonly via: readonly string[];
}

function steeringRules(context: SelectorContext): SteeringRule[] {
  const srcs = (selectors: readonly string[]): AddressRange[] =>
    selectors.flatMap((selector) => sourceRanges(context, selector));
  const grants = (context.policy.grants ?? []).map((grant) => ({
    srcs: srcs(grant.src),
    dsts: grant.dst.flatMap((selector) => addressRanges(context, selector)),
    via: grant.via ?? [],
  }));
  const acls = (context.policy.acls ?? []).map((acl) => ({
    srcs: srcs(acl.src),
    dsts: acl.dst.flatMap((text) => {
      const split = splitDestination(text);
      return split === undefined ? [] : addressRanges(context, split.selector);
    }),
    via: [],
  }));
  return [...grants, ...acls];
}

const NO_STEERING: SteeringForViewer = () => 'none';

/**
 * Route steering by `via` grants, per viewer. For each `via` grant the viewer is a source of and
 * whose destination overlaps the route, the route is steered to the first device (in registration
 * order) that carries one of the grant's `via` tags and serves that route, and away from every
 * other router of it. A plain rule (no `via`) of the viewer covering the route too lifts the
 * exclusion and puts the steered router under the high-availability election.
 */
export function viaSteering(context: SelectorContext): (viewer: ResolvedNode) => SteeringForViewer {
  const rules = steeringRules(context);
  if (rules.every((rule) => rule.via.length === 0)) return () => NO_STEERING;
  // The first router of a grant for a route, memoized per grant and route.
  const firstRouters = new Map<string, string | undefined>();
  const firstRouter = (rule: SteeringRule, index: number, route: AddressRange): string | undefined => {
    const text = formatRange(route);
    const key = `${index}|${text}`;
    if (!firstRouters.has(key)) {
      const router = context.nodes.find(
        (node) =>
          rule.via.some((tag) => node.node.tags.includes(tag)) &&
          node.subnetRoutes.some((served) => formatRange(served) === text),
      );
      firstRouters.set(key, router?.name);
    }
    return firstRouters.get(key);
  };
  return (viewer) => {
    const active = rules
      .map((rule, index) => ({ rule, index }))
      .filter(({ rule }) =>
        rule.srcs.some((src) => viewer.addresses.some((address) => overlaps(src, address))),
      );
    if (active.every(({ rule }) => rule.via.length === 0)) return NO_STEERING;
    return (peer, route) => {
      let steered = false;
      let excluded = false;
      let plain = false;
      for (const { rule, index } of active) {
        if (!rule.dsts.some((dst) => overlaps(dst, route))) continue;
        if (rule.via.length === 0) plain = true;
        else if (firstRouter(rule, index, route) === peer.name) steered = true;
        else excluded = true;
      }
      if (steered) return plain ? 'primary' : 'steered';
      return excluded && !plain ? 'excluded' : 'none';
    };
  };
}
