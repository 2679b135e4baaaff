import {
  claimsOf,
  compareStrings,
  type AccessIntent,
  type TailnetRequirements,
} from '@tailkube/core/internal';

/**
 * What a construct is on the tailnet, read from what it registered: the same for every construct
 * kind, since every construct states its tags, hostnames and services in its `TailnetRequirements`.
 */
export interface ConstructIdentity {
  /** The construct, as named in messages: `Kind 'path'`. */
  readonly source: string;
  /** The Tailscale Services it serves (`svc:name`): the keys of its `autoApprovers.services`. */
  readonly services: readonly string[];
  /**
   * Tags on its devices: the operator's own tags for a `TailscaleOperator`, else its proxy tags.
   */
  readonly tags: readonly string[];
  /**
   * The hostnames its devices ask for. A hostname that names one of its own Tailscale Services
   * (`svc:<hostname>`) is the service's MagicDNS name, not a device's, and is left out.
   */
  readonly hostnames: readonly string[];
  /**
   * Subnet routes its devices advertise. Exit routes are left out: access questions are about
   * tailnet destinations, and the evaluator counts an exit node's internet match (`0.0.0.0/0`,
   * enforced only on the exit node) for every destination.
   */
  readonly routes: readonly string[];
  /**
   * What a grant names to reach it: its services, else its tags, else the destinations its intended
   * access names (a construct served by another's devices, such as an API server proxy), leaving out
   * what those destinations reach in turn (the proxy's devices reaching a session recorder).
   */
  readonly selectors: readonly string[];
}

/** One identity per construct source, in source order; several registrations of one source merge. */
export function constructIdentities(requirements: readonly TailnetRequirements[]): ConstructIdentity[] {
  const bySource = new Map<string, TailnetRequirements[]>();
  for (const req of requirements) {
    const registered = bySource.get(req.source);
    if (registered === undefined) bySource.set(req.source, [req]);
    else registered.push(req);
  }
  return [...bySource.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([source, registered]) => identityOf(source, registered));
}

function identityOf(source: string, registered: readonly TailnetRequirements[]): ConstructIdentity {
  const operatorTags = registered.flatMap((req) => req.operator?.tags ?? []);
  const services = unique(registered.flatMap((req) => Object.keys(req.autoApprovers?.services ?? {})));
  const tags = unique(
    operatorTags.length > 0 ? operatorTags : registered.flatMap((req) => req.proxyTags ?? []),
  );
  const routes = unique(registered.flatMap((req) => claimsOf(req, 'route').map((claim) => claim.route)));
  const hostnames = unique(
    registered.flatMap((req) => claimsOf(req, 'hostname').map((claim) => claim.hostname)),
  ).filter((hostname) => !services.includes(`svc:${hostname}`));
  return {
    source,
    services,
    tags,
    hostnames,
    routes,
    selectors:
      services.length > 0
        ? services
        : tags.length > 0
          ? tags
          : reachedAt(registered.flatMap((req) => req.intendedAccess ?? [])),
  };
}

/**
 * The destinations intended access names, without those reached from another of them: traffic
 * that starts at the construct's own destinations is what its devices send, not where it is reached.
 */
function reachedAt(intents: readonly AccessIntent[]): string[] {
  const destinations = new Set(intents.map((intent) => intent.dst));
  return unique(intents.filter((intent) => !destinations.has(intent.src)).map((intent) => intent.dst));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}
