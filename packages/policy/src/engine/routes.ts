import type { PolicyDocument } from '../document';
import { compareStrings } from '../order';
import { covers, isExitRoute, parseRange, type AddressRange, type IpFamily } from './addresses';
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
  const approvals = approvalIndex(policy.autoApprovers?.routes ?? {});
  const result: Record<string, string[]> = {};
  for (const node of context.nodes) {
    const approvedBy = (selectors: readonly string[]): boolean =>
      selectors.some((selector) => nodeMatches(context, node, selector));
    result[node.name] = (node.node.routable_ips ?? [])
      .filter((route) => {
        if (isExitRoute(route)) return approvedBy(policy.autoApprovers?.exitNode ?? []);
        const range = parseRange(route);
        return range !== undefined && approversOf(approvals, range).some(approvedBy);
      })
      .sort(compareStrings);
  }
  return result;
}

/**
 * The `autoApprovers.routes` prefixes, parsed once and indexed by block: a router advertising
 * thousands of routes, against thousands of prefixes (a Connector's each), finds the prefixes
 * holding a route without a scan of them all.
 */
interface ApprovalIndex {
  /** Approver lists by CIDR block, keyed `family/host bits/first address`. */
  readonly blocks: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** The host bits of the blocks, per family, each once. */
  readonly hostBits: ReadonlyMap<IpFamily, readonly number[]>;
  /** Prefixes that are not one CIDR block (a `first-last` range), checked one by one. */
  readonly others: readonly { readonly range: AddressRange; readonly approvers: readonly string[] }[];
}

function blockKey(family: IpFamily, hostBits: number, first: bigint): string {
  return `${family}/${hostBits}/${first}`;
}

function approvalIndex(routes: Readonly<Record<string, readonly string[]>>): ApprovalIndex {
  const blocks = new Map<string, (readonly string[])[]>();
  const hostBits = new Map<IpFamily, number[]>();
  const others: { range: AddressRange; approvers: readonly string[] }[] = [];
  for (const [prefix, approvers] of Object.entries(routes)) {
    const range = parseRange(prefix);
    if (range === undefined) continue;
    const size = range.last - range.first + 1n;
    const bits = size.toString(2).length - 1;
    if (size !== 1n << BigInt(bits) || range.first % size !== 0n) {
      others.push({ range, approvers });
      continue;
    }
    const key = blockKey(range.family, bits, range.first);
    const listed = blocks.get(key);
    if (listed === undefined) blocks.set(key, [approvers]);
    else listed.push(approvers);
    const widths = hostBits.get(range.family);
    if (widths === undefined) hostBits.set(range.family, [bits]);
    else if (!widths.includes(bits)) widths.push(bits);
  }
  return { blocks, hostBits, others };
}

/** The approver lists of every prefix that holds `range`. */
function approversOf(index: ApprovalIndex, range: AddressRange): (readonly string[])[] {
  const found: (readonly string[])[] = [];
  for (const bits of index.hostBits.get(range.family) ?? []) {
    const first = (range.first >> BigInt(bits)) << BigInt(bits);
    if (range.last > first + (1n << BigInt(bits)) - 1n) continue;
    found.push(...(index.blocks.get(blockKey(range.family, bits, first)) ?? []));
  }
  for (const { range: outer, approvers } of index.others) if (covers(outer, range)) found.push(approvers);
  return found;
}
