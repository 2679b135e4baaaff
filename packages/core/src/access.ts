import {
  ValidationError,
  holdsTailscaleKey,
  parseIpSpec,
  type Grant,
  type ProtocolPorts,
} from '@tailkube/policy';
import { ALL_PORTS, compareStrings } from '@tailkube/policy/internal';
import { checkEach, checkUnique, type Violation } from './validate/rules';
import { TAG_PATTERN, checkTag } from './validate/scalars';
import { string } from './validate/shape';

// Who may connect, on which ports, and who stands in for "anyone else": the one home of the rules
// every intent verb (`allow`, `grantAccess`) applies at the call, so that what a construct accepts
// is what the policy check accepts.

/**
 * A reference that can connect from the tailnet as a principal: a construct whose devices carry
 * tags (a `Connector`, `ProxyGroup`, `EgressService`, `Recorder`, `TailscaleOperator`).
 */
export interface ITailnetPrincipal {
  /** The policy selectors that name it as a grant source: the tags of its devices. */
  readonly principalSelectors: readonly string[];
  /**
   * The `Tailnet` object its devices join, when not the operator's own tailnet: a grant on another
   * tailnet cannot name it.
   *
   * @default - the operator's own tailnet
   */
  readonly tailnetName?: string | undefined;
}

/**
 * Who may connect, as an intent verb takes it: a policy selector (`group:eng`,
 * `alice@example.com`, `tag:ci`, `autogroup:member`, `*`), or a reference that carries one.
 */
export type Principal = string | ITailnetPrincipal;

/**
 * Which ports an intent verb opens, in the grant `ip` syntax: a port number (`443`, every protocol
 * the destination serves it on), or `proto:ports` such as `"tcp:443"`, `"udp:53"`, `"tcp:8000-8100"`,
 * `"*"`.
 *
 * @see https://tailscale.com/kb/1537/grants-syntax
 */
export type PortSpec = number | string;

/** Options of every `allow` verb. */
export interface AllowOptions {
  /**
   * The ports to open, a subset of what the construct serves.
   *
   * @default - every port the construct serves (`*` for a Connector)
   */
  readonly ports?: readonly PortSpec[];
}

/** What one `allow` (or `grantAccess`) call added to the tailnet policy. */
export interface Allowance {
  /** The principals' selectors, sorted. */
  readonly principals: readonly string[];
  /** The grants added to the policy. */
  readonly grants: readonly Grant[];
}

/**
 * Autogroups a grant may name as its source. The role autogroups name the users holding that role
 * in the tailnet; `autogroup:shared` the users a device was shared with.
 *
 * @see https://tailscale.com/kb/1337/policy-syntax#autogroups
 */
export const SOURCE_AUTOGROUPS = [
  'autogroup:member',
  'autogroup:tagged',
  'autogroup:shared',
  'autogroup:owner',
  'autogroup:admin',
  'autogroup:it-admin',
  'autogroup:network-admin',
  'autogroup:billing-admin',
  'autogroup:auditor',
  'autogroup:danger-all',
] as const;

/**
 * A tag no grant names, standing in for "a device nobody granted" in the offline check that a
 * construct is not open to more than its principals.
 */
export const UNGRANTED_STAND_IN = 'tag:tailkube-ungranted';

/** Principals that cover every device: with one of them, nobody is left to deny. */
const EVERYONE: readonly string[] = ['*', 'autogroup:danger-all'];

/**
 * The principal syntax of a grant source: `*`, a known autogroup, `group:<name>` (also SCIM-synced
 * `group:<name>@<domain>`), `tag:<name>`, a user's login `<user>@<domain>`.
 *
 * @see https://tailscale.com/kb/1337/policy-syntax#src
 */
const PRINCIPAL_PATTERN =
  /^(\*|group:[A-Za-z0-9][A-Za-z0-9._@-]*|tag:[a-zA-Z][a-zA-Z0-9-]*|[^@\s:]+@[^@\s:]+)$/;

/** Checks one principal selector; undefined when it is valid. */
export function checkPrincipal(value: unknown, field: string): Violation | undefined {
  // A key pasted here is refused as a credential, without a hint that would quote it.
  if (typeof value === 'string' && holdsTailscaleKey(value)) return string.check(value, field);
  if (typeof value === 'string' && value.startsWith('autogroup:')) {
    if ((SOURCE_AUTOGROUPS as readonly string[]).includes(value)) return undefined;
    return {
      field,
      value,
      allowed: `an autogroup a grant may name: ${SOURCE_AUTOGROUPS.join(', ')}`,
      // The control plane still reads the legacy spelling in a hand-written policy; what tailkube
      // writes uses the current one.
      ...(value === 'autogroup:members' && { hint: 'did you mean "autogroup:member"?' }),
    };
  }
  if (typeof value === 'string' && PRINCIPAL_PATTERN.test(value)) {
    return value.startsWith('tag:') && !TAG_PATTERN.test(value) ? checkTag(value, field) : undefined;
  }
  return {
    field,
    value,
    allowed: 'a policy principal such as "group:family", "alice@example.com", "tag:ci" or "autogroup:member"',
    ...(typeof value === 'string' &&
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value) && { hint: `did you mean "group:${value}"?` }),
  };
}

/**
 * The selectors of `principals` as an intent verb takes them: a non-empty array of selectors or
 * references, each valid, none twice; sorted. Throws a {@link ValidationError} for `source`.
 *
 * `tailnet` is the tailnet the grant goes to (the `Tailnet` object's name; undefined for the
 * operator's own): a reference whose devices are on another tailnet is refused, since a policy only
 * names its own tailnet's devices and a tag there means other devices.
 */
export function readPrincipals(
  source: string,
  principals: unknown,
  field = 'principals',
  tailnet?: string,
): string[] {
  if (!Array.isArray(principals) || principals.length === 0) {
    throw new ValidationError({
      path: source,
      field,
      value: principals,
      allowed: 'a non-empty array of principals (selectors such as "group:eng", or constructs)',
    });
  }
  const selectors: string[] = [];
  for (const [index, item] of (principals as readonly unknown[]).entries()) {
    if (isTailnetPrincipal(item) && item.tailnetName !== tailnet) {
      throw new ValidationError({
        path: source,
        field: `${field}[${index}]`,
        value: `devices on ${tailnetLabel(item.tailnetName)}`,
        allowed: `principals on ${tailnetLabel(tailnet)}, where the grant is written`,
        hint: 'each tailnet has its own policy; share the device across tailnets, or grant a selector of that tailnet',
      });
    }
    const carried = isTailnetPrincipal(item) ? item.principalSelectors : [item];
    for (const selector of carried) {
      const violation = checkPrincipal(selector, `${field}[${index}]`);
      if (violation) throw new ValidationError({ path: source, ...violation });
      selectors.push(selector as string);
    }
  }
  const duplicate = checkUnique(field, selectors);
  if (duplicate) throw new ValidationError({ path: source, ...duplicate });
  return selectors.sort(compareStrings);
}

function tailnetLabel(tailnet: string | undefined): string {
  return tailnet === undefined ? "the operator's own tailnet" : `tailnet '${tailnet}'`;
}

function isTailnetPrincipal(value: unknown): value is ITailnetPrincipal {
  return (
    typeof value === 'object' &&
    value !== null &&
    'principalSelectors' in value &&
    Array.isArray((value as ITailnetPrincipal).principalSelectors)
  );
}

/** One parsed port spec: the protocols and port ranges it opens, and its text in the grant `ip`. */
export interface ParsedPortSpec extends ProtocolPorts {
  /** The spec as the caller gave it. */
  readonly given: PortSpec;
  /** The spec as the grant's `ip` holds it. */
  readonly text: string;
}

/**
 * Parses the `ports` of an intent verb with the policy engine's own grant `ip` parser, so a spec the
 * verb accepts is one the policy check accepts. Throws a {@link ValidationError} for `source`.
 */
export function readPorts(source: string, ports: unknown, field = 'ports'): ParsedPortSpec[] {
  if (!Array.isArray(ports) || ports.length === 0) {
    throw new ValidationError({
      path: source,
      field,
      value: ports,
      allowed: 'a non-empty array of ports (leave `ports` out for every port)',
    });
  }
  const specs: ParsedPortSpec[] = [];
  const violation = checkEach(field, ports as readonly unknown[], (value, at) => {
    const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
    const parsed = typeof text === 'string' ? parseIpSpec(text) : undefined;
    if (parsed?.ok) {
      specs.push({ ...parsed.value, given: value as PortSpec, text: text as string });
      return undefined;
    }
    return {
      field: at,
      value,
      allowed:
        'a port (1-65535) or a grant protocol and ports such as "*", "tcp:443", "udp:53" or "tcp:8000-8100"',
      ...(parsed && !parsed.ok && { hint: parsed.error }),
    };
  });
  if (violation) throw new ValidationError({ path: source, ...violation });
  return specs;
}

/** Every protocol on every port: what a verb opens when its `ports` are left out. */
export const EVERY_PORT: readonly ParsedPortSpec[] = readPorts('', ['*']);

/** A port the offline check asks about, over TCP unless `proto` says UDP. */
export interface CheckedPort {
  readonly port: number;
  readonly proto?: 'udp';
}

/** IANA protocol numbers the offline check evaluates. */
const TCP = 6;
const UDP = 17;

/**
 * The TCP port checked when a spec opens every port (`*`, `tcp:*`): any port would do, and 443 is
 * the one most traffic uses.
 */
export const REPRESENTATIVE_PORT = 443;

/**
 * The ports the offline check asks about for `specs`: each spec's first port, over TCP when it
 * admits TCP, else over UDP when it admits UDP (ICMP- and SCTP-only specs are granted, not
 * checked), {@link REPRESENTATIVE_PORT} for every port. TCP first, then by port.
 */
export function checkedPorts(specs: readonly ProtocolPorts[]): CheckedPort[] {
  const checked = new Map<string, CheckedPort>();
  for (const spec of specs) {
    const tcp = spec.protocols.includes(TCP);
    if (!tcp && !spec.protocols.includes(UDP)) continue;
    for (const range of spec.ports) {
      const all = range.First === ALL_PORTS.First && range.Last === ALL_PORTS.Last;
      const port = all ? REPRESENTATIVE_PORT : range.First;
      checked.set(`${tcp ? 'tcp' : 'udp'}:${port}`, tcp ? { port } : { port, proto: 'udp' });
    }
  }
  return [...checked.values()].sort(
    (a, b) => compareStrings(a.proto ?? '', b.proto ?? '') || a.port - b.port,
  );
}

/**
 * The principal that stands in for "anyone else" in the offline check that a grant to
 * `principals` is not open to more: `autogroup:member` (a member in no group) unless it is named;
 * else {@link UNGRANTED_STAND_IN} unless `autogroup:tagged` is named; none when everyone is.
 */
export function deniedStandIn(principals: readonly string[]): string | undefined {
  if (principals.some((p) => EVERYONE.includes(p))) return undefined;
  if (!principals.includes('autogroup:member')) return 'autogroup:member';
  return principals.includes('autogroup:tagged') ? undefined : UNGRANTED_STAND_IN;
}

/**
 * Whether a grant to `principal` lets the stand-in `standIn` in: a later call that grants it
 * voids the earlier check that it is kept out.
 */
export function coversStandIn(principal: string, standIn: string): boolean {
  if (EVERYONE.includes(principal) || principal === standIn) return true;
  return standIn === UNGRANTED_STAND_IN && principal === 'autogroup:tagged';
}
