import { compareStrings } from '@tailkube/policy/internal';
import type { IProxyGroup } from '../props/common';
import type { Grant } from '@tailkube/policy';
import type { AccessIntent, TailnetRequirements } from '../policy/requirements';
import { checkPrincipal } from '../validate/connector';
import { checkEach, checkUnique, validateProps, type Violation } from '../validate/rules';

/** Protocols of a Kubernetes `ServicePort`. */
export const EXPOSED_PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
/** A Kubernetes `ServicePort` protocol. */
export type ExposedPortProtocol = (typeof EXPOSED_PORT_PROTOCOLS)[number];

/** A port something exposed to the tailnet listens on, in a Kubernetes `ServicePort`'s words. */
export interface ExposedPort {
  /** The port number tailnet clients connect to. */
  readonly port: number;
  /**
   * The port's protocol.
   *
   * @default 'TCP'
   */
  readonly protocol?: ExposedPortProtocol;
}

/**
 * Something exposed to the tailnet (a Service or an Ingress), as its tailnet side sees it: its own
 * device (standalone), or a Tailscale Service `svc:<hostname>` served by an ingress ProxyGroup.
 */
export interface ExposureTarget {
  /** The construct, as named in messages: `Kind 'path'`. */
  readonly source: string;
  /**
   * The device hostname (standalone) or the Tailscale Service's name without `svc:` (ProxyGroup).
   * Either way its MagicDNS name is `<hostname>.<tailnet>.ts.net`, so it is unique in the program.
   */
  readonly hostname: string;
  /**
   * Resolved tags: the device's (standalone), or the Tailscale Service's own (ProxyGroup) — which
   * the operator takes from the object's `tailscale.com/tags` or its default proxy tags, never
   * from the group.
   */
  readonly tags: readonly string[];
  /**
   * The ingress ProxyGroup whose devices serve it.
   *
   * @default - standalone: the operator runs one proxy pod and one device for it
   */
  readonly proxyGroup?: IProxyGroup<'ingress'>;
  /** The ports tailnet clients reach it on. */
  readonly ports: readonly ExposedPort[];
}

/** Who may reach something exposed to the tailnet, and on which of its ports. */
export interface ExposureAllowOptions {
  /**
   * Port numbers to allow, a subset of the exposed ports.
   *
   * @default - every exposed port
   */
  readonly ports?: readonly number[];
}

/** The access one `allow()` call records. */
export interface ExposureAccess {
  /** The grant: the principals to exactly the target's tags or `svc:` name, on its ports. */
  readonly grant: Grant;
  /**
   * What to register with the tailnet: the grant, and what it means, checked offline against the
   * rendered policy (each principal reaches each allowed TCP port of each destination, and one
   * principal who was not named does not reach the first).
   */
  readonly requirements: TailnetRequirements &
    Required<Pick<TailnetRequirements, 'grants' | 'intendedAccess'>>;
}

/** The Tailscale Service name the operator creates for a hostname on a ProxyGroup: `svc:<hostname>`. */
export function tailscaleServiceName(hostname: string): string {
  return `svc:${hostname}`;
}

/**
 * What a grant to the target names as `dst`: its tags (standalone), or its Tailscale Service
 * (ProxyGroup), whose devices the group's replicas are.
 */
export function exposureDestination(target: ExposureTarget): string[] {
  return target.proxyGroup ? [tailscaleServiceName(target.hostname)] : sorted(target.tags);
}

/**
 * What exposing `target` needs from the tailnet, before anyone is allowed to reach it: its tags
 * owned by the operator's tag, its hostname unique in the program, and for a ProxyGroup the
 * Tailscale Service approved for the group's tags (`autoApprovers.services`) with the `services`
 * OAuth scope the operator needs to create it.
 */
export function exposureRequirements(target: ExposureTarget): TailnetRequirements {
  const group = target.proxyGroup;
  return {
    source: target.source,
    proxyTags: sorted(target.tags),
    hostnames: [target.hostname],
    ...(group && {
      autoApprovers: { services: { [tailscaleServiceName(target.hostname)]: sorted(group.tags) } },
      oauthScopes: ['services'],
    }),
  };
}

/**
 * The access that lets `principals` reach `target` and nothing more: one grant to exactly its
 * tags (standalone) or its `svc:` name (ProxyGroup) on its ports (`tcp:80`, `udp:53`), and the
 * intended access to check offline. Nothing comes from `*` unless `principals` names it. Throws a
 * {@link ValidationError} for `target.source` on a bad principal or port.
 */
export function exposureAccess(
  target: ExposureTarget,
  principals: readonly string[],
  options: ExposureAllowOptions = {},
): ExposureAccess {
  validateProps(target.source, { principals, options }, [
    ({ principals: p }) =>
      p.length === 0 ? { field: 'principals', value: p, allowed: 'at least one principal' } : undefined,
    ({ principals: p }) => checkEach('principals', p, checkPrincipal) ?? checkUnique('principals', p),
    ({ options: o }) => checkAllowedPorts(target, o.ports),
  ]);
  const wanted = options.ports === undefined ? undefined : new Set(options.ports);
  const ports = target.ports.filter((p) => wanted === undefined || wanted.has(p.port));
  const src = sorted(principals);
  const dst = exposureDestination(target);
  const grant: Grant = { src, dst, ip: [...new Set(ports.map(portSpec))].sort(compareStrings) };
  const checked = checkedPorts(ports);
  const intendedAccess: AccessIntent[] = [];
  for (const to of dst) {
    for (const port of checked) {
      for (const from of src) intendedAccess.push({ src: from, dst: to, ...port, expect: 'allow' });
    }
  }
  // One principal who may not, on one port: enough to catch a base policy that lets it in, and
  // each check costs a policy evaluation.
  const denied = deniedPrincipal(src);
  const [firstDst] = dst;
  const [firstPort] = checked;
  if (denied !== undefined && firstDst !== undefined && firstPort !== undefined) {
    intendedAccess.push({ src: denied, dst: firstDst, ...firstPort, expect: 'deny' });
  }
  return { grant, requirements: { source: target.source, grants: [grant], intendedAccess } };
}

/**
 * A principal the grant does not cover, to check that nothing else in the policy lets it in:
 * `autogroup:member` unless named (or `*` is); else `autogroup:tagged` unless a tag is named.
 */
export function deniedPrincipal(principals: readonly string[]): string | undefined {
  if (principals.includes('*')) return undefined;
  if (!principals.includes('autogroup:member')) return 'autogroup:member';
  const tagged = principals.some((p) => p === 'autogroup:tagged' || p.startsWith('tag:'));
  return tagged ? undefined : 'autogroup:tagged';
}

function checkAllowedPorts(
  target: ExposureTarget,
  ports: readonly number[] | undefined,
): Violation | undefined {
  if (ports === undefined) return undefined;
  const exposed = [...new Set(target.ports.map((p) => p.port))].sort((a, b) => a - b);
  const allowed = `one of the exposed ports ${JSON.stringify(exposed)}`;
  if (ports.length === 0) {
    return { field: 'ports', value: ports, allowed: 'at least one port (leave `ports` out for every port)' };
  }
  for (const [index, port] of ports.entries()) {
    if (!exposed.includes(port)) return { field: `ports[${index}]`, value: port, allowed };
  }
  return undefined;
}

/**
 * The ports the offline check asks about: each TCP and UDP port once, TCP first (`proto` only for
 * UDP, TCP being the intent's default). SCTP is granted but not evaluated.
 */
function checkedPorts(ports: readonly ExposedPort[]): { readonly port: number; readonly proto?: 'udp' }[] {
  const numbers = (protocol: ExposedPortProtocol): number[] =>
    [...new Set(ports.filter((p) => protocolOf(p) === protocol).map((p) => p.port))].sort((a, b) => a - b);
  return [
    ...numbers('TCP').map((port) => ({ port })),
    ...numbers('UDP').map((port) => ({ port, proto: 'udp' as const })),
  ];
}

function protocolOf(port: ExposedPort): ExposedPortProtocol {
  return port.protocol ?? 'TCP';
}

function portSpec(port: ExposedPort): string {
  return `${protocolOf(port).toLowerCase()}:${port.port}`;
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort(compareStrings);
}
