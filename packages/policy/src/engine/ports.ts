/** An inclusive port range, in the captures' (and `tailcfg.PortRange`'s) shape. */
export interface PortRange {
  readonly First: number;
  readonly Last: number;
}

/** Every port. */
export const ALL_PORTS: PortRange = { First: 0, Last: 65535 };

/** The IP protocols a rule without `proto` admits: TCP, UDP, ICMP and ICMPv6. */
export const DEFAULT_PROTOCOLS: readonly number[] = [6, 17, 1, 58];

/** Protocol names the control plane accepts, and their IANA numbers. */
export const PROTOCOL_NAMES = [
  'tcp',
  'udp',
  'icmp',
  'ipv6-icmp',
  'sctp',
  'igmp',
  'esp',
  'ah',
  'gre',
  'ipv4',
  'egp',
  'igp',
] as const;

/** A protocol name the control plane accepts. */
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

const PROTOCOL_NUMBERS: Readonly<Record<ProtocolName, readonly number[]>> = {
  tcp: [6],
  udp: [17],
  icmp: [1],
  'ipv6-icmp': [58],
  sctp: [132],
  igmp: [2],
  esp: [50],
  ah: [51],
  gre: [47],
  ipv4: [4],
  egp: [8],
  igp: [9],
};

/** Protocols that carry ports; a port other than `*` with any other protocol is an error. */
const PORTED_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 132]);

/** The result of parsing: a value, or the control plane's complaint. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * Parses a port list as written after a selector's last `:` — `*`, `22`, `80-443`, `22,80,443`.
 *
 * @returns the ranges, or the control plane's message, e.g. `port range "ssh": invalid first integer`
 */
export function parsePorts(text: string): Parsed<readonly PortRange[]> {
  if (text === '*') return { ok: true, value: [ALL_PORTS] };
  const ranges: PortRange[] = [];
  for (const part of text.split(',')) {
    const [firstText = '', lastText, ...rest] = part.split('-');
    if (!/^\d+$/.test(firstText)) return { ok: false, error: `port range "${part}": invalid first integer` };
    if (lastText !== undefined && !/^\d+$/.test(lastText)) {
      return { ok: false, error: `port range "${part}": invalid last integer` };
    }
    if (rest.length > 0) return { ok: false, error: `port range "${part}": too many dashes` };
    const first = Number(firstText);
    const last = lastText === undefined ? first : Number(lastText);
    if (first > 65535 || last > 65535) return { ok: false, error: `port range "${part}": port out of range` };
    if (last < first) return { ok: false, error: `port range "${part}": first port is after last port` };
    ranges.push({ First: first, Last: last });
  }
  return { ok: true, value: ranges };
}

/**
 * Parses a protocol (`proto` of an ACL, or the part before `:` in a grant's `ip`) into IANA numbers.
 *
 * An absent or empty protocol stands for {@link DEFAULT_PROTOCOLS}.
 */
export function parseProtocol(text: string | undefined): Parsed<readonly number[]> {
  if (text === undefined || text === '') return { ok: true, value: DEFAULT_PROTOCOLS };
  if (/^\d+$/.test(text)) {
    const number = Number(text);
    if (number > 255) return { ok: false, error: `proto "${text}": invalid protocol number` };
    return { ok: true, value: [number] };
  }
  const lower = text.toLowerCase();
  const known = (PROTOCOL_NAMES as readonly string[]).includes(lower)
    ? PROTOCOL_NUMBERS[lower as ProtocolName]
    : undefined;
  return known === undefined
    ? { ok: false, error: `proto "${text}": unknown protocol` }
    : { ok: true, value: known };
}

/** One `ip` entry of a grant, or one ACL destination's ports with the rule's `proto`. */
export interface ProtocolPorts {
  readonly protocols: readonly number[];
  readonly ports: readonly PortRange[];
}

/** Parses one grant `ip` entry: `*`, `22`, `tcp:443`, `udp:53`, `tcp:80-443`, `icmp:*`. */
export function parseIpSpec(text: string): Parsed<ProtocolPorts> {
  if (text === '*') return { ok: true, value: { protocols: DEFAULT_PROTOCOLS, ports: [ALL_PORTS] } };
  const colon = text.indexOf(':');
  const protocol = parseProtocol(colon < 0 ? undefined : text.slice(0, colon));
  if (!protocol.ok) return protocol;
  const ports = parsePorts(colon < 0 ? text : text.slice(colon + 1));
  if (!ports.ok) return ports;
  return checkPortsAllowed(protocol.value, ports.value, text);
}

/** Rejects ports on a protocol without them (ICMP, GRE, …). */
export function checkPortsAllowed(
  protocols: readonly number[],
  ports: readonly PortRange[],
  text: string,
): Parsed<ProtocolPorts> {
  const allPorts = ports.length === 1 && ports[0]?.First === 0 && ports[0].Last === 65535;
  // The default protocol set mixes TCP/UDP with ICMP; the ports then apply to TCP and UDP only.
  const explicit = protocols !== DEFAULT_PROTOCOLS;
  if (!allPorts && explicit && protocols.some((number) => !PORTED_PROTOCOLS.has(number))) {
    return { ok: false, error: `"${text}": ports are only allowed with tcp, udp or sctp` };
  }
  return { ok: true, value: { protocols, ports } };
}

/** Whether `port` falls in one of `ranges`. */
export function portIn(ranges: readonly PortRange[], port: number): boolean {
  return ranges.some((range) => range.First <= port && port <= range.Last);
}
