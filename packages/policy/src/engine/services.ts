import type { PolicyDocument } from '../document';
import { compareStrings } from '../order';
import { nodeMatches, selectorContext } from './selectors';
import type { Topology } from './topology';

/** Whether `name` is a Tailscale Service name the control plane accepts: `svc:` and one DNS label. */
export function isServiceName(name: string): boolean {
  return /^svc:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(name);
}

/**
 * The services each device hosts: those it advertises that `autoApprovers.services` approves for it.
 *
 * As with routes, advertising is not hosting: a service is approved when an `autoApprovers.services`
 * entry keyed by its name, or by one of the service's tags, names the device. Only tagged devices
 * host services, and only services the topology defines (they have addresses).
 */
export function approveServices(policy: PolicyDocument, topology: Topology): Record<string, string[]> {
  const approvers = policy.autoApprovers?.services ?? {};
  // Without a device advertising a service, no selector needs resolving.
  if (Object.values(topology.nodes).every((node) => (node.services ?? []).length === 0)) return {};
  const context = selectorContext(policy, topology, {});
  const result: Record<string, string[]> = {};
  for (const node of context.nodes) {
    const advertised = node.node.services ?? [];
    if (advertised.length === 0 || !node.tagged) continue;
    result[node.name] = advertised
      .filter((name) => {
        const service = topology.services?.[name];
        if (service === undefined) return false;
        const keys = [name, ...(service.tags ?? [])];
        return keys.some((key) =>
          (approvers[key] ?? []).some((selector) => nodeMatches(context, node, selector)),
        );
      })
      .sort(compareStrings);
  }
  return result;
}
