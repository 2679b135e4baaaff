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

/** The first match that admits the packet, or `undefined`. */
export function admittingMatch(matches: readonly CompiledMatch[], packet: Packet): CompiledMatch | undefined {
  return matches.find(
    (match) =>
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
  return matches.flatMap((match) =>
    match.srcs.some((range) => covers(range, src))
      ? match.caps
          .filter((cap) => covers(cap.range, dst))
          .map((cap) => ({ cap: cap.cap, values: cap.values, match }))
      : [],
  );
}
