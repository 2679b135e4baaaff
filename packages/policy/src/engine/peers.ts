import { compareStrings, sortedRecord } from '../order';
import { formatRange, overlaps, type AddressRange } from './addresses';
import { internetSources, type CompiledMatch } from './compile';
import type { NodeAttributes } from './node-attrs';
import { electPrimaryRoutes } from './primary-routes';
import type { ResolvedNode, SelectorContext } from './selectors';
import { viaSteering } from './via-routes';

/** Whether any match (packets or capabilities) lets some address of `from` reach some address of `to`. */
export function reaches(
  matches: readonly CompiledMatch[],
  from: readonly AddressRange[],
  to: readonly AddressRange[],
): boolean {
  return matches.some(
    (match) =>
      match.srcs.some((src) => from.some((address) => overlaps(src, address))) &&
      [...match.dsts.map((dst) => dst.range), ...match.caps.map((cap) => cap.range)].some((range) =>
        to.some((address) => overlaps(range, address)),
      ),
  );
}

/** What a device sends from: its own addresses and the subnets it routes for. */
function sendsFrom(node: ResolvedNode): AddressRange[] {
  return [...node.addresses, ...node.subnetRoutes];
}

/**
 * The peers each device sees, with the addresses it routes to each: two devices see each other when
 * either may send to the other (a subnet router also sends for its subnets). A peer's subnet route
 * is listed when the peer is the route's primary router ({@link electPrimaryRoutes}) and the
 * device may reach the route, or when it is a router of that route too (a standby learns the
 * primary), unless `via` grants steer it ({@link viaSteering}). Its exit routes are listed when the
 * device may use `autogroup:internet`, the VIPs of the services it hosts when the device may reach them.
 */
export function computePeers(
  context: SelectorContext,
  perNode: Readonly<Record<string, readonly CompiledMatch[]>>,
  attributes: Readonly<Record<string, NodeAttributes>>,
): Record<string, Record<string, string[]>> {
  const noIpv4 = (node: ResolvedNode): boolean => attributes[node.name]?.['disable-ipv4'] !== undefined;
  const internet = internetSources(context);
  const primaries = electPrimaryRoutes(context.nodes);
  const routeKeys = new Map(context.nodes.map((node) => [node.name, node.subnetRoutes.map(formatRange)]));
  const steering = viaSteering(context);
  const result: Record<string, Record<string, string[]>> = {};
  for (const node of context.nodes) {
    const seen: Record<string, string[]> = {};
    const usesExit = node.addresses.some((address) => internet.some((range) => overlaps(range, address)));
    const steer = steering(node);
    const ownRoutes = new Set(routeKeys.get(node.name));
    for (const peer of context.nodes) {
      if (peer === node) continue;
      const peerMatches = perNode[peer.name] ?? [];
      const keys = routeKeys.get(peer.name) ?? [];
      const routes = peer.subnetRoutes.filter((route, index) => {
        const key = keys[index] ?? '';
        const primary = primaries.get(key) === peer.name;
        // A standby router learns which peer is primary for the route they share.
        if (primary && ownRoutes.has(key)) return true;
        switch (steer(peer, route)) {
          case 'steered':
            return true;
          case 'primary':
            return primary;
          case 'excluded':
            return false;
          case 'none':
            // Listed when traffic may flow either way between the device and the subnet.
            return (
              primary &&
              (reaches(peerMatches, node.addresses, [route]) ||
                reaches(perNode[node.name] ?? [], [route], [...node.addresses, ...node.subnetRoutes]))
            );
        }
      });
      const exits = usesExit ? peer.exitRoutes : [];
      // A hosted service's VIP is routed to its host for the devices that may reach the service.
      const vips = peer.serviceAddresses.filter((vip) => reaches(peerMatches, node.addresses, [vip]));
      const visible =
        reaches(peerMatches, sendsFrom(node), [...peer.addresses, ...peer.subnetRoutes]) ||
        reaches(perNode[node.name] ?? [], sendsFrom(peer), [
          ...node.addresses,
          ...node.subnetRoutes,
          ...node.serviceAddresses,
        ]) ||
        exits.length > 0 ||
        vips.length > 0;
      // With `disable-ipv4` on either side, the pair talks over IPv6 only.
      const addresses =
        noIpv4(node) || noIpv4(peer) ? peer.addresses.filter((a) => a.family === 6) : peer.addresses;
      if (visible)
        seen[peer.name] = [...addresses, ...routes, ...exits, ...vips].map(formatRange).sort(compareStrings);
    }
    result[node.name] = sortedRecord(seen);
  }
  return result;
}
