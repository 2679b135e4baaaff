import ipaddr from 'ipaddr.js';

/** An IP address family. */
export type IpFamily = 4 | 6;

/** A contiguous, inclusive range of addresses of one family, as integers. */
export interface AddressRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

function bytesToBigint(bytes: readonly number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** A dotted-decimal IPv4 address as the control plane writes it: four parts, no leading zeros. */
const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
/** The characters an IPv6 address can be made of, by `ipaddr.js`'s grammar (zones excluded). */
const IPV6_CHARACTERS = /^[0-9a-fA-FxX.:]+$/;
/** One to four hex digits: a group of an IPv6 address. */
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): number | undefined {
  const parts = IPV4.exec(text);
  if (parts === null) return undefined;
  let value = 0;
  for (let index = 1; index <= 4; index += 1) {
    const part = Number(parts[index]);
    if (part > 255) return undefined;
    value = value * 256 + part;
  }
  return value;
}

/** The 16-bit groups of one side of `::` (or of a whole address), or `undefined`. */
function hexGroups(text: string, tail: boolean): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (const [index, part] of parts.entries()) {
    if (HEX_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
      continue;
    }
    // A dotted IPv4 address may end the address, standing for its last two groups.
    const ipv4 = tail && index === parts.length - 1 ? parseIpv4(part) : undefined;
    if (ipv4 === undefined) return undefined;
    groups.push(Math.floor(ipv4 / 65536), ipv4 % 65536);
  }
  return groups;
}

/**
 * Parses the IPv6 forms the control plane and tailkube write (hex groups, one `::`, an IPv4 tail),
 * without exceptions; `undefined` for anything else, which {@link parseAddress} then hands to
 * `ipaddr.js` so that its rarer forms keep their meaning.
 */
function parseCommonIpv6(text: string): bigint | undefined {
  const gap = text.indexOf('::');
  let groups: number[] | undefined;
  if (gap < 0) {
    groups = hexGroups(text, true);
    if (groups?.length !== 8) return undefined;
  } else {
    const head = hexGroups(text.slice(0, gap), false);
    const rest = text.slice(gap + 2);
    // `ipaddr.js` reads `::1.2.3.4` as the IPv4-mapped `::ffff:1.2.3.4`: left to it.
    const tail = gap === 0 && rest.includes('.') && !rest.includes(':') ? undefined : hexGroups(rest, true);
    if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/**
 * Parses one address (`100.64.0.1`, `fd7a::1`), strictly; `undefined` when it is not one.
 *
 * Selectors are mostly names (`tag:k8s`, `host`), so the common forms are parsed by hand, without
 * the exception `ipaddr.js` throws for every string that is not an address.
 */
export function parseAddress(
  text: string,
): { readonly family: IpFamily; readonly value: bigint } | undefined {
  const ipv4 = parseIpv4(text);
  if (ipv4 !== undefined) return { family: 4, value: BigInt(ipv4) };
  if (!text.includes(':') || !IPV6_CHARACTERS.test(text)) return undefined;
  const ipv6 = parseCommonIpv6(text);
  if (ipv6 !== undefined) return { family: 6, value: ipv6 };
  if (ipaddr.IPv6.isValid(text)) {
    return { family: 6, value: bytesToBigint(ipaddr.IPv6.parse(text).toByteArray()) };
  }
  return undefined;
}

/**
 * Parses an address, a CIDR prefix, or a `first-last` range into an {@link AddressRange}.
 *
 * A prefix with host bits set (`10.0.0.1/8`) is masked, as the control plane does.
 */
export function parseRange(text: string): AddressRange | undefined {
  const dash = text.indexOf('-');
  if (dash > 0 && !text.includes('/')) {
    const first = parseAddress(text.slice(0, dash));
    const last = parseAddress(text.slice(dash + 1));
    if (first === undefined || last === undefined || first.family !== last.family) return undefined;
    return { family: first.family, first: first.value, last: last.value };
  }
  const slash = text.indexOf('/');
  const address = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const width = address.family === 4 ? 32 : 128;
  let bits = width;
  if (slash >= 0) {
    const suffix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(suffix)) return undefined;
    bits = Number(suffix);
    if (bits > width) return undefined;
  }
  const hostBits = BigInt(width - bits);
  const first = (address.value >> hostBits) << hostBits;
  return { family: address.family, first, last: first | ((1n << hostBits) - 1n) };
}

/** Whether range `a` and range `b` share at least one address. */
export function overlaps(a: AddressRange, b: AddressRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** Whether range `outer` holds every address of range `inner`. */
export function covers(outer: AddressRange, inner: AddressRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** Orders ranges by family, then first address. */
export function compareRanges(a: AddressRange, b: AddressRange): number {
  return a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0);
}

/** Sorted, disjoint ranges covering exactly the addresses of `ranges`. */
export function union(ranges: readonly AddressRange[]): AddressRange[] {
  const merged: AddressRange[] = [];
  for (const range of [...ranges].sort(compareRanges)) {
    const last = merged.at(-1);
    if (last !== undefined && last.family === range.family && range.first <= last.last + 1n) {
      if (range.last > last.last) merged[merged.length - 1] = { ...last, last: range.last };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

/** The index of the first of the sorted `ranges` that does not end before `address` starts. */
function lowerBound(ranges: readonly AddressRange[], address: AddressRange): number {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const range = ranges[mid]!;
    if (range.family < address.family || (range.family === address.family && range.last < address.first)) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/** Whether one of the sorted, disjoint `ranges` shares an address with `range`. */
export function meetsUnion(ranges: readonly AddressRange[], range: AddressRange): boolean {
  const candidate = ranges[lowerBound(ranges, range)];
  return candidate !== undefined && overlaps(candidate, range);
}

/** Whether the range is a whole address family (`0.0.0.0/0` or `::/0`). */
export function isWholeFamily(range: AddressRange): boolean {
  return range.first === 0n && range.last === (range.family === 4 ? 2n ** 32n - 1n : 2n ** 128n - 1n);
}

/**
 * Formats an address integer back to text, as `ipaddr.js` prints it: dotted decimal, or RFC 5952
 * (lower-case hex groups without leading zeros, the leftmost longest run of two or more zero groups
 * as `::`). Written out by hand: a derived topology formats two addresses per device.
 */
export function formatAddress(family: IpFamily, value: bigint): string {
  if (family === 4) {
    const number = Number(value & 0xffffffffn);
    return `${number >>> 24}.${(number >>> 16) & 255}.${(number >>> 8) & 255}.${number & 255}`;
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start += 1) {
    if (groups[start] !== 0) continue;
    let end = start;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = (part: readonly number[]): string => part.map((group) => group.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** Formats a range as a CIDR prefix when it is one, else as `first-last`. */
export function formatRange(range: AddressRange): string {
  const width = range.family === 4 ? 32 : 128;
  const size = range.last - range.first + 1n;
  const hostBits = size.toString(2).length - 1;
  if (size === 1n << BigInt(hostBits) && range.first % size === 0n) {
    return `${formatAddress(range.family, range.first)}/${width - hostBits}`;
  }
  return `${formatAddress(range.family, range.first)}-${formatAddress(range.family, range.last)}`;
}

/** A single address in the middle of a range: a probe that lies inside it, away from its edges. */
export function middleOf(range: AddressRange): AddressRange {
  const value = range.first + (range.last - range.first) / 2n;
  return { family: range.family, first: value, last: value };
}

/** The Tailscale address space every "*" source stands for (CGNAT minus the ChromeOS VM range, and the ULA). */
export const TAILNET_RANGES: readonly AddressRange[] = [
  parseRange('100.64.0.0-100.115.91.255'),
  parseRange('100.115.94.0-100.127.255.255'),
  parseRange('fd7a:115c:a1e0::/48'),
].filter((range): range is AddressRange => range !== undefined);

/** Whether the route is an exit route (`0.0.0.0/0` or `::/0`). */
export function isExitRoute(text: string): boolean {
  const range = parseRange(text);
  return range !== undefined && isWholeFamily(range);
}
