import {
  deriveTopology,
  type PolicyDocument,
  type Topology,
  type TopologyNode,
  type TopologyUser,
  type TopologyUserRole,
} from '@tailkube/policy';
import type { ApiDevice } from './api/client';

/** The domain of stand-in users (`member@tailnet.invalid` is deriveTopology's own). */
const STAND_IN_DOMAIN = '@tailnet.invalid';

/**
 * Who to evaluate a source as: for `autogroup:member` and a role autogroup, its stand-in user,
 * so that a member's row shows what any member gets, not the union with what admins (who are
 * members too) get; any other source as itself.
 */
export function representativeOf(source: string, topology: Topology): string {
  if (!source.startsWith('autogroup:')) return source;
  const email = `${source.slice('autogroup:'.length)}${STAND_IN_DOMAIN}`;
  return topology.users.some((user) => user.email === email) ? email : source;
}

/** Roles whose autogroup (`autogroup:admin`, …) a stand-in user is made for when a policy names it. */
const ROLES: readonly TopologyUserRole[] = [
  'owner',
  'admin',
  'it-admin',
  'network-admin',
  'billing-admin',
  'auditor',
];

/**
 * The devices to evaluate access on: the tailnet's real devices (when listed) first, in the order
 * the API lists them, then one stand-in per tag and user the policies name, so that a construct
 * whose proxy has not joined yet is still evaluated.
 */
export function accessTopology(
  policies: readonly PolicyDocument[],
  devices: readonly ApiDevice[] = [],
): Topology {
  const derived = deriveTopology(namingUnion(policies));
  const users = new Map<string, TopologyUser>(derived.users.map((user) => [user.email, user]));
  const nodes: Record<string, TopologyNode> = {};
  const unique = (name: string): string => {
    let key = name;
    for (let n = 2; key in nodes; n += 1) key = `${name}-${n}`;
    return key;
  };
  for (const device of devices) {
    const tags = device.tags ?? [];
    const owner = tags.length === 0 ? userFor(users, device.user) : undefined;
    const name = unique(device.hostname || device.name);
    nodes[name] = {
      hostname: device.hostname,
      tags,
      ipv4: device.addresses.find((address) => address.includes('.')) ?? '',
      ipv6: device.addresses.find((address) => address.includes(':')) ?? '',
      ...(owner && { user: owner.name }),
      routable_ips: device.advertisedRoutes ?? [],
    };
  }
  for (const [name, node] of Object.entries(derived.nodes)) nodes[unique(`${name} (stand-in)`)] = node;
  // deriveTopology stands in for `autogroup:member` only; a rule for admins needs an admin.
  const named = JSON.stringify(policies);
  ROLES.forEach((role, index) => {
    if (!named.includes(`"autogroup:${role}"`)) return;
    const email = `${role}${STAND_IN_DOMAIN}`;
    const user: TopologyUser = { id: users.size + 1, name: email, email, roles: [role] };
    users.set(user.email, user);
    nodes[unique(`${role}-device (stand-in)`)] = {
      hostname: `${role}-device`,
      tags: [],
      user: user.name,
      ipv4: `100.96.0.${index + 1}`,
      ipv6: `fd7a:115c:a1e0::6460:${index + 1}`,
      routable_ips: [],
    };
  });
  return {
    users: [...users.values()],
    nodes,
    ...(derived.services && { services: derived.services }),
  };
}

/**
 * What the policies name, as one document to derive stand-ins from: every tag, group, rule and
 * approver of each, so that both sides of a diff are evaluated on the same devices.
 */
function namingUnion(policies: readonly PolicyDocument[]): PolicyDocument {
  const record = (pick: (p: PolicyDocument) => Readonly<Record<string, readonly string[]>> | undefined) => {
    const union: Record<string, string[]> = {};
    for (const policy of policies) {
      for (const [key, values] of Object.entries(pick(policy) ?? {})) {
        union[key] = [...new Set([...(union[key] ?? []), ...values])];
      }
    }
    return union;
  };
  return {
    groups: record((p) => p.groups),
    tagOwners: record((p) => p.tagOwners),
    acls: policies.flatMap((p) => p.acls ?? []),
    grants: policies.flatMap((p) => p.grants ?? []),
    autoApprovers: {
      routes: record((p) => p.autoApprovers?.routes),
      services: record((p) => p.autoApprovers?.services),
      exitNode: [...new Set(policies.flatMap((p) => p.autoApprovers?.exitNode ?? []))],
    },
  };
}

/** The user owning a device, added when no policy names them. */
function userFor(users: Map<string, TopologyUser>, login: string): TopologyUser {
  const known = users.get(login);
  if (known) return known;
  const user: TopologyUser = { id: users.size + 1, name: login, email: login };
  users.set(login, user);
  return user;
}
