import { covers, meetsUnion, union, type AddressRange } from './addresses';
import type { CompiledMatch } from './compile';
import { portIn } from './ports';

/** A single packet: where from, where to, which protocol and port. */
export interface Packet {
  readonly src: AddressRange;
  readonly dst: AddressRange;
  readonly proto: number;
  readonly port: number;
}

/**
 * Matches by destination address, so a question about one address looks at the matches naming it
 * plus those whose wider destinations hold it, not at every match of the tailnet.
 */
interface MatchIndex {
  /** Single-address destination (or capability) → indexes of the matches naming it, ascending. */
  readonly byAddress: ReadonlyMap<string, readonly number[]>;
  /** The wider ranges of the matches, by ascending match index. */
  readonly wide: readonly { readonly match: number; readonly range: AddressRange }[];
  /** Their union: an address outside it concerns no wide range. */
  readonly wideUnion: readonly AddressRange[];
}

const indexes = new WeakMap<readonly CompiledMatch[], MatchIndex>();

const addressKey = (range: AddressRange): string => `${range.family}/${range.first}`;

function indexOf(matches: readonly CompiledMatch[]): MatchIndex {
  let index = indexes.get(matches);
  if (index === undefined) {
    const byAddress = new Map<string, number[]>();
    const wide: { match: number; range: AddressRange }[] = [];
    matches.forEach((match, i) => {
      for (const { range } of [...match.dsts, ...match.caps]) {
        if (range.first !== range.last) {
          wide.push({ match: i, range });
          continue;
        }
        const list = byAddress.get(addressKey(range));
        if (list === undefined) byAddress.set(addressKey(range), [i]);
        else if (list.at(-1) !== i) list.push(i);
      }
    });
    index = { byAddress, wide, wideUnion: union(wide.map(({ range }) => range)) };
    indexes.set(matches, index);
  }
  return index;
}

const NONE: readonly number[] = [];

/**
 * Calls `visit` with each match that may concern traffic to `dst`, in their original order, until
 * it returns true; returns that match.
 */
function findCandidate(
  matches: readonly CompiledMatch[],
  dst: AddressRange,
  visit: (match: CompiledMatch) => boolean,
): CompiledMatch | undefined {
  if (dst.first !== dst.last) return matches.find(visit);
  const { byAddress, wide, wideUnion } = indexOf(matches);
  const exact = byAddress.get(addressKey(dst)) ?? NONE;
  const holding = meetsUnion(wideUnion, dst)
    ? wide.filter(({ range }) => covers(range, dst)).map(({ match }) => match)
    : NONE;
  // Both lists ascend; a match in both is visited once.
  let a = 0;
  let b = 0;
  let previous = -1;
  while (a < exact.length || b < holding.length) {
    const next =
      b >= holding.length || (a < exact.length && exact[a]! < holding[b]!) ? exact[a++]! : holding[b++]!;
    if (next === previous) continue;
    previous = next;
    const match = matches[next]!;
    if (visit(match)) return match;
  }
  return undefined;
}

/**
 * The first match that admits the packet, or `undefined`. `device` names the destination device,
 * if it is one: a `via` match is enforced only by its node, so it admits nothing to other devices.
 */
export function admittingMatch(
  matches: readonly CompiledMatch[],
  packet: Packet,
  device?: string,
): CompiledMatch | undefined {
  return findCandidate(
    matches,
    packet.dst,
    (match) =>
      (device === undefined || match.onlyNode === undefined || match.onlyNode === device) &&
      match.protocols.includes(packet.proto) &&
      // Destinations first: most candidates are for another port, or their sources are many.
      match.dsts.some((dst) => covers(dst.range, packet.dst) && portIn(dst.ports, packet.port)) &&
      match.srcs.some((range) => covers(range, packet.src)),
  );
}

/** The capabilities (name → values) the matches give traffic from `src` to `dst`. */
export function grantedCapabilities(
  matches: readonly CompiledMatch[],
  src: AddressRange,
  dst: AddressRange,
): { readonly cap: string; readonly values: readonly unknown[] | null; readonly match: CompiledMatch }[] {
  const granted: { cap: string; values: readonly unknown[] | null; match: CompiledMatch }[] = [];
  findCandidate(matches, dst, (match) => {
    if (!match.srcs.some((range) => covers(range, src))) return false;
    for (const cap of match.caps) {
      if (covers(cap.range, dst)) granted.push({ cap: cap.cap, values: cap.values, match });
    }
    return false;
  });
  return granted;
}
