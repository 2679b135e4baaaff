import { ValidationError } from '@tailkube/policy';
import { compareStrings } from '@tailkube/policy/internal';
import { namedList, type Violation } from '../validate/rules';
import type { Claim, ClaimKind, TailnetRequirements } from '../tailnet/requirements';

/** A claim with the construct that made it. */
export interface Claimed<K extends ClaimKind> {
  readonly source: string;
  readonly claim: Extract<Claim, { readonly kind: K }>;
}

/** A fault a cross-construct rule found: the construct at fault and its violation. */
export interface CrossConstructFault {
  readonly source: string;
  readonly violation: Violation;
}

/**
 * One rule over the claims of one kind across the program: the whole-program counterpart of a
 * construct's rule table. Claims come in source order, each construct's in its own order.
 */
export interface CrossConstructRule<K extends ClaimKind> {
  readonly kind: K;
  readonly check: (claims: readonly Claimed<K>[], all: ClaimIndex) => CrossConstructFault | undefined;
}

/** The program's claims by kind, for rules that read another kind than their own. */
export interface ClaimIndex {
  of<K extends ClaimKind>(kind: K): readonly Claimed<K>[];
}

/** A device hostname is unique in the program: the second device would join as `<name>-1`. */
const uniqueHostnames: CrossConstructRule<'hostname'> = {
  kind: 'hostname',
  check(claims) {
    const owners = new Map<string, string>();
    for (const { source, claim } of claims) {
      const owner = owners.get(claim.hostname);
      if (owner !== undefined) {
        return fault(
          source,
          claim.field,
          claim.hostname,
          'a hostname no other construct in the program uses',
          {
            hint: `${owner} uses it too; the second device would join as "${claim.hostname}-1"`,
          },
        );
      }
      owners.set(claim.hostname, source);
    }
    return undefined;
  },
};

/**
 * The same subnet route from two constructs is an error unless both say it is a high-availability
 * pair: otherwise one device silently takes the route over from the other.
 */
const sharedRoutes: CrossConstructRule<'route'> = {
  kind: 'route',
  check(claims) {
    const owners = new Map<string, Claimed<'route'>>();
    for (const claimed of claims) {
      const { source, claim } = claimed;
      const owner = owners.get(claim.route);
      if (owner === undefined) {
        owners.set(claim.route, claimed);
        continue;
      }
      if (owner.source === source || (claim.highAvailability && owner.claim.highAvailability)) continue;
      return fault(
        source,
        claim.field,
        claim.route,
        'a route no other construct in the program advertises, unless both are meant as a high-availability pair',
        {
          hint: `${owner.source} advertises it too; set \`highAvailability: true\` on both if that is intended`,
        },
      );
    }
    return undefined;
  },
};

/** Static endpoint NodePort ranges of two ProxyClasses must not clash (the operator refuses the second). */
const disjointNodePorts: CrossConstructRule<'node-ports'> = {
  kind: 'node-ports',
  check(claims) {
    for (const [index, { source, claim }] of claims.entries()) {
      const clash = claims
        .slice(0, index)
        .find(
          (other) =>
            other.source !== source && claim.port <= other.claim.endPort && other.claim.port <= claim.endPort,
        );
      if (clash) {
        return fault(
          source,
          claim.field,
          formatRange(claim),
          'NodePorts no other ProxyClass in the program uses',
          {
            hint: `${clash.source} uses ${formatRange(clash.claim)}`,
          },
        );
      }
    }
    return undefined;
  },
};

/** Two constructs claiming one cluster-scoped name would overwrite each other's object. */
const uniqueClusterObjects: CrossConstructRule<'cluster-object'> = {
  kind: 'cluster-object',
  check(claims) {
    const owners = new Map<string, string>();
    for (const { source, claim } of claims) {
      const key = claim.onePerCluster ? claim.objectKind : `${claim.objectKind}/${claim.name}`;
      const owner = owners.get(key);
      if (owner !== undefined) {
        return claim.onePerCluster
          ? fault(source, claim.field, claim.name, `one ${claim.objectKind} per cluster`, {
              hint: `${owner} is the cluster's ${claim.objectKind} already`,
            })
          : fault(
              source,
              claim.field,
              claim.name,
              `a ${claim.objectKind} name no other construct in the program uses`,
              {
                hint: `${owner} creates ${claim.objectKind} "${claim.name}" too; ${claim.objectKind} is cluster-scoped, so one would overwrite the other`,
              },
            );
      }
      owners.set(key, source);
    }
    return undefined;
  },
};

/** The constructs on one ProxyGroup may map no more ports than the operator allocates on it. */
const proxyGroupPortLimit: CrossConstructRule<'proxy-group-ports'> = {
  kind: 'proxy-group-ports',
  check(claims) {
    const used = new Map<string, { ports: number; sources: string[] }>();
    for (const { source, claim } of claims) {
      let entry = used.get(claim.proxyGroup);
      if (entry === undefined) used.set(claim.proxyGroup, (entry = { ports: 0, sources: [] }));
      if (entry.ports + claim.ports > claim.limit) {
        return fault(
          source,
          claim.field,
          `${claim.ports} ${claim.ports === 1 ? 'port' : 'ports'}`,
          `ports that keep ProxyGroup "${claim.proxyGroup}" at ${claim.limit} or fewer (the operator's limit)`,
          {
            hint: `${namedList(entry.sources)} map ${entry.ports} ${entry.ports === 1 ? 'port' : 'ports'} on it already; spread the Services over several ProxyGroups`,
          },
        );
      }
      entry.ports += claim.ports;
      entry.sources.push(source);
    }
    return undefined;
  },
};

/**
 * A namespace with ProxyGroupPolicies admits only the ProxyGroups their lists name (together); the
 * API server refuses a Service or Ingress annotated with any other, so the program fails here first.
 */
const proxyGroupPolicies: CrossConstructRule<'proxy-group-use'> = {
  kind: 'proxy-group-use',
  check(claims, all) {
    const byNamespace = new Map<string, { ingress: Set<string>; egress: Set<string>; sources: string[] }>();
    for (const { source, claim } of all.of('proxy-group-allowance')) {
      const entry = byNamespace.get(claim.namespace) ?? {
        ingress: new Set(),
        egress: new Set(),
        sources: [],
      };
      for (const group of claim.ingress) entry.ingress.add(group);
      for (const group of claim.egress) entry.egress.add(group);
      entry.sources.push(source);
      byNamespace.set(claim.namespace, entry);
    }
    for (const { source, claim } of claims) {
      const entry = byNamespace.get(claim.namespace);
      if (entry === undefined || entry[claim.list].has(claim.proxyGroup)) continue;
      const listed = [...entry[claim.list]].sort(compareStrings);
      return fault(
        source,
        claim.field,
        claim.proxyGroup,
        listed.length === 0
          ? `no ${claim.list} ProxyGroup: the ProxyGroupPolicies of namespace "${claim.namespace}" list none`
          : `an ${claim.list} ProxyGroup the ProxyGroupPolicies of namespace "${claim.namespace}" list: ${listed.join(', ')}`,
        {
          hint: `${namedList(entry.sources)} ${entry.sources.length === 1 ? 'governs' : 'govern'} namespace "${claim.namespace}", so the API server would refuse this ${claim.objectKind}; add "${claim.proxyGroup}" to a policy's \`${claim.list}\` list`,
        },
      );
    }
    return undefined;
  },
};

/** A rule over any one kind of claim. */
type AnyCrossConstructRule = { readonly [K in ClaimKind]: CrossConstructRule<K> }[ClaimKind];

/** Every cross-construct rule, run in this order before anything is emitted. */
export const CROSS_CONSTRUCT_RULES: readonly AnyCrossConstructRule[] = [
  uniqueHostnames,
  sharedRoutes,
  disjointNodePorts,
  uniqueClusterObjects,
  proxyGroupPortLimit,
  proxyGroupPolicies,
];

/**
 * Runs every cross-construct rule over the claims of `requirements` (in source order) and throws
 * the first fault as a {@link ValidationError} naming the construct at fault.
 */
export function checkClaims(requirements: readonly TailnetRequirements[]): void {
  const byKind = new Map<ClaimKind, Claimed<ClaimKind>[]>();
  for (const req of requirements) {
    for (const claim of req.claims ?? []) {
      const list = byKind.get(claim.kind) ?? [];
      list.push({ source: req.source, claim } as Claimed<ClaimKind>);
      byKind.set(claim.kind, list);
    }
  }
  const index: ClaimIndex = {
    of: <K extends ClaimKind>(kind: K) => (byKind.get(kind) ?? []) as unknown as readonly Claimed<K>[],
  };
  for (const rule of CROSS_CONSTRUCT_RULES) {
    // Each rule reads the claims of its own kind: the index keeps them apart.
    const check = rule.check as CrossConstructRule<ClaimKind>['check'];
    const found = check(index.of(rule.kind), index);
    if (found) throw new ValidationError({ path: found.source, ...found.violation });
  }
}

function fault(
  source: string,
  field: string,
  value: unknown,
  allowed: string,
  extra: { readonly hint: string },
): CrossConstructFault {
  return { source, violation: { field, value, allowed, ...extra } };
}

function formatRange(range: { readonly port: number; readonly endPort: number }): string {
  return range.port === range.endPort ? String(range.port) : `${range.port}-${range.endPort}`;
}
