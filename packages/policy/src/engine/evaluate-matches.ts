import { covers, type AddressRange } from './addresses';
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
 * plus the few with wider destinations, not at every match of the tailnet.
 */
interface MatchIndex {
  /** Single-address destination → indexes of the matches naming it, ascending. */
  readonly byAddress: Map<string, number[]>;
  /** Indexes of matches with a destination wider than one address, ascending. */
  readonly wide: readonly number[];
}

const indexes = new WeakMap<readonly CompiledMatch[], MatchIndex>();

const addressKey = (range: AddressRange): string => `${range.family}/${range.first}`;

function indexOf(matches: readonly CompiledMatch[]): MatchIndex {
  let index = indexes.get(matches);
  if (index === undefined) {
    const byAddress = new Map<string, number[]>();
    const wide: number[] = [];
    matches.forEach((match, i) => {
      const ranges = [...match.dsts.map((dst) => dst.range), ...match.caps.map((cap) => cap.range)];
      if (ranges.some((range) => range.first !== range.last)) {
        wide.push(i);
        return;
      }
      for (const key of new Set(ranges.map(addressKey))) {
        const list = byAddress.get(key);
        if (list === undefined) byAddress.set(key, [i]);
        else list.push(i);
      }
    });
    index = { byAddress, wide };
    indexes.set(matches, index);
  }
  return index;
}

/** The matches that may concern traffic to `dst`, in their original order. */
function candidates(matches: readonly CompiledMatch[], dst: AddressRange): readonly CompiledMatch[] {
  if (dst.first !== dst.last) return matches;
  const { byAddress, wide } = indexOf(matches);
  const exact = byAddress.get(addressKey(dst)) ?? [];
  const merged: CompiledMatch[] = [];
  let a = 0;
  let b = 0;
  while (a < exact.length || b < wide.length) {
    const next = b >= wide.length || (a < exact.length && exact[a]! < wide[b]!) ? exact[a++]! : wide[b++]!;
    merged.push(matches[next]!);
  }
  return merged;
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
  return candidates(matches, packet.dst).find(
    (match) =>
      (device === undefined || match.onlyNode === undefined || match.onlyNode === device) &&
      match.protocols.includes(packet.proto) &&
      match.srcs.some((range) => covers(range, packet.src)) &&
      match.dsts.some((dst) => covers(dst.range, packet.dst) && portIn(dst.ports, packet.port)),
  );
}

/** The capabilities (name → values) the matches give traffic from `src` to `dst`. */
export function grantedCapabilities(
  matches: readonly CompiledMatch[],
  src: AddressRange,
  dst: AddressRange,
): { readonly cap: string; readonly values: readonly unknown[] | null; readonly match: CompiledMatch }[] {
  return candidates(matches, dst).flatMap((match) =>
    match.srcs.some((range) => covers(range, src))
      ? match.caps
          .filter((cap) => covers(cap.range, dst))
          .map((cap) => ({ cap: cap.cap, values: cap.values, match }))
      : [],
  );
}
