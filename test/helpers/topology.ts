import type { TopologyNode } from '@tailkube/policy';

/**
 * A device of a hand-written test topology: device number `n` gets `100.64.0.<n>` and
 * `fd7a:115c:a1e0::<n>`, no tags and no routes unless `fields` gives them.
 */
export function device(hostname: string, n: number, fields: Partial<TopologyNode> = {}): TopologyNode {
  return {
    hostname,
    tags: [],
    ipv4: `100.64.0.${n}`,
    ipv6: `fd7a:115c:a1e0::${n.toString(16)}`,
    routable_ips: [],
    ...fields,
  };
}
