import type { PolicyDocument } from '../document';
import { policyDocument } from '../normalize';
import { compareStrings } from '../order';
import { formatAddress, isExitRoute } from './addresses';
import { groupMembers, rememberAddresses, roleOf, selectorKind, splitDestination } from './selectors';
import { isServiceName } from './services';
import type { Topology, TopologyNode, TopologyService, TopologyUser, TopologyUserRole } from './topology';

/** First address handed out to derived devices (inside 100.64.0.0/10, clear of the reserved ranges). */
const FIRST_IPV4 = 0x64400001n;
/**
 * First VIP handed out to derived Tailscale Services: 100.80.0.1, a block of 100.64.0.0/10 apart
 * from the devices' (which would need a million devices to reach it).
 */
const FIRST_SERVICE_IPV4 = 0x64500001n;
const ULA_BASE = 0xfd7a115ca1e0n << 80n;
/** The user who stands for `autogroup:member` when the policy names no user. */
const STAND_IN_MEMBER = 'member@tailnet.invalid';

/**
 * The routes each tag's device advertises in a derived topology: each `autoApprovers.routes` prefix
 * that approves the tag by name, and the exit routes when `autoApprovers.exitNode` does, so a
 * subnet router or exit node the policy provides for is there to route (and `via` rules apply).
 */
function advertisedRoutes(policy: PolicyDocument): Map<string, string[]> {
  const approvers = policy.autoApprovers ?? {};
  const byTag = new Map<string, string[]>();
  // Appended in place: a tag approved for thousands of routes (every Connector on the operator's
  // default tag) would be copied once per route.
  const add = (tag: string, routes: readonly string[]): void => {
    const list = byTag.get(tag);
    if (list === undefined) byTag.set(tag, [...routes]);
    else list.push(...routes);
  };
  for (const [route, who] of Object.entries(approvers.routes ?? {})) {
    if (!isExitRoute(route)) for (const tag of new Set(who)) add(tag, [route]);
  }
  for (const tag of new Set(approvers.exitNode ?? [])) add(tag, ['0.0.0.0/0', '::/0']);
  for (const routes of byTag.values()) routes.sort(compareStrings);
  return byTag;
}

/**
 * The services (of `serviceNames`, in their order) that `autoApprovers.services` approves each tag
 * for by name: one pass over the approvers, not one per tag.
 */
function hostedServices(policy: PolicyDocument, serviceNames: readonly string[]): Map<string, string[]> {
  const approvers = policy.autoApprovers?.services ?? {};
  const byTag = new Map<string, string[]>();
  for (const name of serviceNames) {
    for (const tag of approvers[name] ?? []) {
      const hosted = byTag.get(tag);
      if (hosted === undefined) byTag.set(tag, [name]);
      else if (hosted.at(-1) !== name) hosted.push(name);
    }
  }
  return byTag;
}

/**
 * A topology with one device per tag and one per user the policy names (and `alsoNamed`, such as
 * the principals of access checks), for evaluating a policy before any device exists.
 *
 * The device of a tag advertises the routes `autoApprovers` approve for that tag by name.
 * Each Tailscale Service the policy or `alsoNamed` names (`svc:web` in a destination or an
 * `autoApprovers.services` key) gets a VIP pair, and the device of each tag that
 * `autoApprovers.services` approves for it by name advertises it, so it hosts the service.
 * A service approved only through a service tag has no host here: which services carry that tag is
 * defined outside the policy.
 */
export function deriveTopology(input: PolicyDocument, alsoNamed: readonly string[] = []): Topology {
  const policy = policyDocument(input);
  const tags = new Set<string>(Object.keys(policy.tagOwners ?? {}));
  const users = new Set<string>();
  /** Stand-in users holding a role a selector names (`autogroup:admin`), by login. */
  const roles = new Map<string, TopologyUserRole>();
  const services = new Set<string>(Object.keys(policy.autoApprovers?.services ?? {}).filter(isServiceName));
  // Each selector once: a policy names the same principals in rule after rule.
  const visited = new Set<string>();
  const visit = (selector: string): void => {
    if (visited.has(selector)) return;
    visited.add(selector);
    const bare = splitDestination(selector)?.selector ?? selector;
    for (const candidate of [selector, bare]) {
      if (isServiceName(candidate)) services.add(candidate);
      const kind = selectorKind(candidate);
      if (kind === 'tag') tags.add(candidate);
      if (kind === 'user') users.add(candidate);
      if (kind === 'group') for (const member of groupMembers(policy, candidate)) users.add(member);
      // A stand-in member, so that access of "any member" can be evaluated before anyone joins.
      if (candidate === 'autogroup:member') users.add(STAND_IN_MEMBER);
      // And one user per role named, so that access of "any admin" can be evaluated too.
      const role = roleOf(candidate);
      if (role !== undefined) {
        const login = `${role}@tailnet.invalid`;
        users.add(login);
        roles.set(login, role);
      }
    }
  };
  for (const members of Object.values(policy.groups ?? {})) members.forEach(visit);
  alsoNamed.forEach(visit);
  for (const rules of [policy.acls ?? [], policy.grants ?? []]) {
    for (const rule of rules) {
      rule.src.forEach(visit);
      rule.dst.forEach(visit);
    }
  }
  const userList: TopologyUser[] = [...users].sort(compareStrings).map((email, index) => ({
    id: index + 1,
    name: email.replace(/@.*$/, '') || email,
    email,
    ...(roles.has(email) && { roles: [roles.get(email)!] }),
  }));
  const nodes: Record<string, TopologyNode> = {};
  let next = 0n;
  /**
   * Adds the device `build` makes with the next address pair. Each device is written out whole: a
   * device spread into a copy with its addresses would get a hidden class of its own.
   */
  const add = (name: string, build: (ipv4: string, ipv6: string) => TopologyNode): void => {
    const ipv4 = FIRST_IPV4 + next;
    const ipv6 = ULA_BASE + FIRST_IPV4 + next;
    const node = build(formatAddress(4, ipv4), formatAddress(6, ipv6));
    // Known as integers already: the engine need not parse the text back.
    rememberAddresses(node, [
      { family: 4, first: ipv4, last: ipv4 },
      { family: 6, first: ipv6, last: ipv6 },
    ]);
    nodes[name] = node;
    next += 1n;
  };
  const serviceNames = [...services].sort(compareStrings);
  const hostedBy = hostedServices(policy, serviceNames);
  const routesOf = advertisedRoutes(policy);
  for (const tag of [...tags].sort(compareStrings)) {
    const hostname = tag.slice('tag:'.length);
    const routes = routesOf.get(tag) ?? [];
    const hosted = hostedBy.get(tag);
    add(hostname, (ipv4, ipv6) =>
      hosted === undefined
        ? { hostname, tags: [tag], routable_ips: routes, ipv4, ipv6 }
        : { hostname, tags: [tag], routable_ips: routes, services: hosted, ipv4, ipv6 },
    );
  }
  for (const user of userList) {
    const hostname = `${user.name}-device`;
    add(hostname, (ipv4, ipv6) => ({ hostname, tags: [], user: user.name, routable_ips: [], ipv4, ipv6 }));
  }
  if (serviceNames.length === 0) return { users: userList, nodes };
  const serviceList: Record<string, TopologyService> = {};
  serviceNames.forEach((name, index) => {
    const offset = FIRST_SERVICE_IPV4 + BigInt(index);
    serviceList[name] = { ipv4: formatAddress(4, offset), ipv6: formatAddress(6, ULA_BASE + offset) };
  });
  return { users: userList, nodes, services: serviceList };
}
