import type { PolicyDocument } from '../document';
import { compareStrings } from '../../order';
import { formatAddress } from './addresses';
import { groupMembers, selectorKind, splitDestination } from './selectors';
import type { Topology, TopologyNode, TopologyUser } from './topology';

/** First address handed out to derived devices (inside 100.64.0.0/10, clear of the reserved ranges). */
const FIRST_IPV4 = 0x64400001n;
const ULA_BASE = 0xfd7a115ca1e0n << 80n;
/** The user who stands for `autogroup:member` when the policy names no user. */
const STAND_IN_MEMBER = 'member@tailnet.invalid';

/**
 * A topology with one device per tag and one per user the policy names (and `alsoNamed`, such as
 * the principals of access checks), for evaluating a policy before any device exists.
 */
export function deriveTopology(policy: PolicyDocument, alsoNamed: readonly string[] = []): Topology {
  const tags = new Set<string>(Object.keys(policy.tagOwners ?? {}));
  const users = new Set<string>();
  const visit = (selector: string): void => {
    const bare = splitDestination(selector)?.selector ?? selector;
    for (const candidate of [selector, bare]) {
      const kind = selectorKind(candidate);
      if (kind === 'tag') tags.add(candidate);
      if (kind === 'user') users.add(candidate);
      if (kind === 'group') for (const member of groupMembers(policy, candidate)) users.add(member);
      // A stand-in member, so that access of "any member" can be evaluated before anyone joins.
      if (candidate === 'autogroup:member') users.add(STAND_IN_MEMBER);
    }
  };
  for (const members of Object.values(policy.groups ?? {})) members.forEach(visit);
  alsoNamed.forEach(visit);
  for (const rule of [...(policy.acls ?? []), ...(policy.grants ?? [])])
    [...rule.src, ...rule.dst].forEach(visit);
  const userList: TopologyUser[] = [...users].sort(compareStrings).map((email, index) => ({
    id: index + 1,
    name: email.replace(/@.*$/, '') || email,
    email,
  }));
  const nodes: Record<string, TopologyNode> = {};
  let next = 0n;
  const add = (name: string, node: Omit<TopologyNode, 'ipv4' | 'ipv6'>): void => {
    nodes[name] = {
      ...node,
      ipv4: formatAddress(4, FIRST_IPV4 + next),
      ipv6: formatAddress(6, ULA_BASE + FIRST_IPV4 + next),
    };
    next += 1n;
  };
  for (const tag of [...tags].sort(compareStrings)) {
    add(tag.slice('tag:'.length), { hostname: tag.slice('tag:'.length), tags: [tag], routable_ips: [] });
  }
  for (const user of userList) {
    add(`${user.name}-device`, {
      hostname: `${user.name}-device`,
      tags: [],
      user: user.name,
      routable_ips: [],
    });
  }
  return { users: userList, nodes };
}
