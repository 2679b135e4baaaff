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

const FOUR_PART_DECIMAL = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Parses one address (`100.64.0.1`, `fd7a::1`), strictly; `undefined` when it is not one. */
export function parseAddress(
  text: string,
): { readonly family: IpFamily; readonly value: bigint } | undefined {
  // The pattern first: ipaddr.js finds a non-address by throwing, which is slow on every name.
  if (FOUR_PART_DECIMAL.test(text) && ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return { family: 4, value: bytesToBigint(ipaddr.IPv4.parse(text).toByteArray()) };
  }
  if (text.includes(':') && ipaddr.IPv6.isValid(text) && !text.includes('%')) {
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

/** Whether the range is a whole address family (`0.0.0.0/0` or `::/0`). */
export function isWholeFamily(range: AddressRange): boolean {
  return range.first === 0n && range.last === (range.family === 4 ? 2n ** 32n - 1n : 2n ** 128n - 1n);
}

/** Formats an address integer back to text. */
export function formatAddress(family: IpFamily, value: bigint): string {
  const count = family === 4 ? 4 : 16;
  const bytes: number[] = [];
  for (let index = count - 1; index >= 0; index -= 1) bytes.push(Number((value >> BigInt(index * 8)) & 255n));
  return ipaddr.fromByteArray(bytes).toString();
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
