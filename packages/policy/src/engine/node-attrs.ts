import type { PolicyDocument } from '../document';
import { sortedRecord } from '../order';
import { nodesMatching, type ResolvedNode, type SelectorContext } from './selectors';

/**
 * The attribute that tells a device which Tailscale Services it hosts and their VIPs
 * (tailcfg `NodeAttrServiceHost`, one `ServiceIPMappings` value).
 */
const SERVICE_HOST = 'service-host';

/** Capabilities the control plane adds next to the `funnel` attribute. */
const FUNNEL_COMPANIONS = [
  'https://tailscale.com/cap/funnel-ports?ports=443,8443,10000',
  'https://tailscale.com/cap/warn-funnel-no-https',
] as const;

/** A device's attributes: name → values (`null` for a bare attribute). */
export type NodeAttributes = Readonly<Record<string, readonly unknown[] | null>>;

/**
 * The attributes `nodeAttrs` (and network-wide options) give each device. Each entry is applied, in
 * order, to the devices its targets name, found through the selector index: testing every entry on
 * every device would grow with entries × devices (a FunnelIngress adds an entry for its own tag).
 */
export function nodeAttributes(
  policy: PolicyDocument,
  context: SelectorContext,
): Record<string, NodeAttributes> {
  const byNode = new Map<ResolvedNode, Record<string, unknown[] | null>>();
  for (const node of context.nodes) {
    const attrs: Record<string, unknown[] | null> = {};
    if (policy.randomizeClientPort === true) attrs['randomize-client-port'] = null;
    if (node.services.length > 0) {
      const services = context.topology.services ?? {};
      attrs[SERVICE_HOST] = [
        Object.fromEntries(node.services.map((name) => [name, [services[name]?.ipv4, services[name]?.ipv6]])),
      ];
    }
    byNode.set(node, attrs);
  }
  for (const entry of policy.nodeAttrs ?? []) {
    const targeted = new Set(entry.target.flatMap((selector) => nodesMatching(context, selector)));
    for (const node of targeted) {
      const attrs = byNode.get(node)!;
      for (const attr of entry.attr ?? []) {
        attrs[attr] = null;
        if (attr === 'funnel') for (const companion of FUNNEL_COMPANIONS) attrs[companion] = null;
      }
      for (const [cap, values] of Object.entries(entry.app ?? {})) {
        const held = attrs[cap];
        // Appended in place: the list is this device's own from its first value on.
        if (held === undefined || held === null) attrs[cap] = [...values];
        else held.push(...values);
      }
    }
  }
  const result: Record<string, NodeAttributes> = {};
  for (const node of context.nodes) result[node.name] = sortedRecord(byNode.get(node)!);
  return result;
}
