import { covers, meetsUnion, union, type AddressRange } from './addresses';
import { targetsOf, type CompiledMatch } from './compile';
import { portIn, type PortRange } from './ports';

/** A single packet: where from, where to, which protocol and port. */
export interface Packet {
  readonly src: AddressRange;
  readonly dst: AddressRange;
  readonly proto: number;
  readonly port: number;
}

/**
 * Matches by destination address, so a question about one address looks at the matches naming it
 * plus those whose wider destinations hold it, not at every match of the tailnet. Destinations are
 * indexed by address list: matches to one tag share its list, indexed once.
 */
interface MatchIndex {
  /** Single address → the address lists (destination targets) holding it. */
  readonly listsByAddress: ReadonlyMap<string, readonly (readonly AddressRange[])[]>;
  /** The wider ranges of the lists. */
  readonly wideLists: readonly { readonly list: readonly AddressRange[]; readonly range: AddressRange }[];
  readonly wideListUnion: readonly AddressRange[];
  /** Per address list: the matches with a target on it, ascending. */
  readonly users: ReadonlyMap<readonly AddressRange[], readonly number[]>;
  /** Single-address capability → indexes of the matches naming it, ascending. */
  readonly capsByAddress: ReadonlyMap<string, readonly number[]>;
  /** The wider capability ranges, by ascending match index. */
  readonly wideCaps: readonly { readonly match: number; readonly range: AddressRange }[];
  readonly wideCapUnion: readonly AddressRange[];
  /** Single addresses some match's sources name, and the union of the wider source ranges. */
  readonly sourceAddresses: ReadonlySet<string>;
  readonly wideSourceUnion: readonly AddressRange[];
  /**
   * Whether some match's sources hold a single address, by the address object: a device no rule
   * lets send anything (the stand-in of an access check) is answered without its destinations.
   */
  readonly sends: WeakMap<AddressRange, boolean>;
  /** {@link candidates} by single address: checks ask about the same devices again and again. */
  readonly found: Map<string, Candidates>;
  /** The same by the address object (a device's addresses are asked about as they are). */
  readonly foundByRange: WeakMap<AddressRange, Candidates>;
}

/** The matches that may concern traffic to one address. */
interface Candidates {
  /** Their indexes, ascending. */
  readonly matches: readonly number[];
  /** Those with destinations holding the address, in order, with the ports of those destinations. */
  readonly admitting: readonly {
    readonly match: CompiledMatch;
    readonly ports: readonly (readonly PortRange[])[];
  }[];
}

const indexes = new WeakMap<readonly CompiledMatch[], MatchIndex>();

const addressKey = (range: AddressRange): string => `${range.family}/${range.first}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

function indexOf(matches: readonly CompiledMatch[]): MatchIndex {
  let index = indexes.get(matches);
  if (index === undefined) {
    const listsByAddress = new Map<string, (readonly AddressRange[])[]>();
    const wideLists: { list: readonly AddressRange[]; range: AddressRange }[] = [];
    const users = new Map<readonly AddressRange[], number[]>();
    const capsByAddress = new Map<string, number[]>();
    const wideCaps: { match: number; range: AddressRange }[] = [];
    const sourceAddresses = new Set<string>();
    const wideSources: AddressRange[] = [];
    // Matches of one selector share its source list: each list is read once.
    const sourceLists = new Set<readonly AddressRange[]>();
    matches.forEach((match, i) => {
      if (!sourceLists.has(match.srcs)) {
        sourceLists.add(match.srcs);
        for (const range of match.srcs) {
          if (range.first !== range.last) wideSources.push(range);
          else sourceAddresses.add(addressKey(range));
        }
      }
      for (const { ranges } of targetsOf(match)) {
        if (!users.has(ranges)) {
          for (const range of ranges) {
            if (range.first !== range.last) wideLists.push({ list: ranges, range });
            else push(listsByAddress, addressKey(range), ranges);
          }
        }
        push(users, ranges, i);
      }
      for (const { range } of match.caps) {
        if (range.first !== range.last) wideCaps.push({ match: i, range });
        else push(capsByAddress, addressKey(range), i);
      }
    });
    index = {
      listsByAddress,
      wideLists,
      wideListUnion: union(wideLists.map(({ range }) => range)),
      users,
      capsByAddress,
      wideCaps,
      wideCapUnion: union(wideCaps.map(({ range }) => range)),
      sourceAddresses,
      wideSourceUnion: union(wideSources),
      sends: new WeakMap(),
      found: new Map(),
      foundByRange: new WeakMap(),
    };
    indexes.set(matches, index);
  }
  return index;
}

const NONE: readonly number[] = [];

/** Ascending, without repeats: the union of ascending lists. */
function mergeAscending(lists: readonly (readonly number[])[]): readonly number[] {
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? NONE;
  const all = new Int32Array(nonEmpty.reduce((sum, list) => sum + list.length, 0));
  let at = 0;
  for (const list of nonEmpty) for (const i of list) all[at++] = i;
  all.sort();
  const unique: number[] = [];
  for (const i of all) if (unique[unique.length - 1] !== i) unique.push(i);
  return unique;
}

/**
 * The matches that may concern traffic to the single address `dst`, ascending, and the address
 * lists holding it (a match's target on one of them is a destination of `dst`).
 */
function candidates(matches: readonly CompiledMatch[], dst: AddressRange): Candidates {
  const index = indexOf(matches);
  let found = index.foundByRange.get(dst);
  if (found !== undefined) return found;
  const key = addressKey(dst);
  found = index.found.get(key);
  if (found === undefined) {
    found = findCandidates(matches, index, dst, key);
    index.found.set(key, found);
  }
  index.foundByRange.set(dst, found);
  return found;
}

function findCandidates(
  all: readonly CompiledMatch[],
  index: MatchIndex,
  dst: AddressRange,
  key: string,
): Candidates {
  const lists = new Set(index.listsByAddress.get(key));
  if (meetsUnion(index.wideListUnion, dst)) {
    for (const { list, range } of index.wideLists) if (covers(range, dst)) lists.add(list);
  }
  const caps = meetsUnion(index.wideCapUnion, dst)
    ? index.wideCaps.filter(({ range }) => covers(range, dst)).map(({ match }) => match)
    : NONE;
  const sources: (readonly number[])[] = [];
  for (const list of lists) sources.push(index.users.get(list)!);
  sources.push(index.capsByAddress.get(key) ?? NONE, caps);
  const matches = mergeAscending(sources);
  const admitting: { match: CompiledMatch; ports: (readonly PortRange[])[] }[] = [];
  for (const i of matches) {
    const match = all[i]!;
    const ports = targetsOf(match)
      .filter(({ ranges }) => lists.has(ranges))
      .map((target) => target.ports);
    if (ports.length > 0) admitting.push({ match, ports });
  }
  return { matches, admitting };
}

/** Whether the sources of some match hold the single address `src`. */
function sends(matches: readonly CompiledMatch[], src: AddressRange): boolean {
  const index = indexOf(matches);
  let found = index.sends.get(src);
  if (found === undefined) {
    found = index.sourceAddresses.has(addressKey(src)) || meetsUnion(index.wideSourceUnion, src);
    index.sends.set(src, found);
  }
  return found;
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
  const { src, dst, proto, port } = packet;
  if (dst.first !== dst.last) {
    return matches.find(
      (match) =>
        (device === undefined || match.onlyNode === undefined || match.onlyNode === device) &&
        match.protocols.includes(proto) &&
        // Destinations first: most candidates are for another port, or their sources are many.
        targetsOf(match).some(
          ({ ranges, ports }) => portIn(ports, port) && ranges.some((range) => covers(range, dst)),
        ) &&
        holdsSource(match.srcs, src),
    );
  }
  if (src.first === src.last && !sends(matches, src)) return undefined;
  const { admitting } = candidates(matches, dst);
  const positions = entriesFrom(admitting, src, (i) => admitting[i]!.match.srcs);
  const count = positions?.length ?? admitting.length;
  for (let k = 0; k < count; k++) {
    const { match, ports } = admitting[positions === undefined ? k : positions[k]!]!;
    if (device !== undefined && match.onlyNode !== undefined && match.onlyNode !== device) continue;
    if (!match.protocols.includes(proto)) continue;
    if (!ports.some((list) => portIn(list, port))) continue;
    if (holdsSource(match.srcs, src)) return match;
  }
  return undefined;
}

/** The capabilities (name → values) the matches give traffic from `src` to `dst`. */
export function grantedCapabilities(
  matches: readonly CompiledMatch[],
  src: AddressRange,
  dst: AddressRange,
): { readonly cap: string; readonly values: readonly unknown[] | null; readonly match: CompiledMatch }[] {
  const granted: { cap: string; values: readonly unknown[] | null; match: CompiledMatch }[] = [];
  const visit = (match: CompiledMatch): void => {
    if (match.caps.length === 0 || !holdsSource(match.srcs, src)) return;
    for (const cap of match.caps) {
      if (covers(cap.range, dst)) granted.push({ cap: cap.cap, values: cap.values, match });
    }
  };
  if (dst.first !== dst.last) {
    matches.forEach(visit);
    return granted;
  }
  const found = candidates(matches, dst).matches;
  const positions = entriesFrom(found, src, (i) => matches[found[i]!]!.srcs);
  if (positions === undefined) for (const i of found) visit(matches[i]!);
  else for (const k of positions) visit(matches[found[k]!]!);
  return granted;
}

/** Lists shorter than this are scanned: an index would cost more than it saves. */
const INDEXED_FROM = 32;

/** A long source list's single addresses, and its wider ranges: its members found without a scan. */
interface SourceSet {
  readonly singles: ReadonlySet<string>;
  readonly wide: readonly AddressRange[];
}

const sourceSets = new WeakMap<readonly AddressRange[], SourceSet>();

/**
 * Whether one of `srcs` holds `src`. A list of 32 or more (a group of thousands, every device of a
 * tag) is indexed once, by the list: each member of the group asks in turn, and a scan per member
 * would grow with the group's square.
 */
function holdsSource(srcs: readonly AddressRange[], src: AddressRange): boolean {
  if (srcs.length < INDEXED_FROM || src.first !== src.last) return srcs.some((range) => covers(range, src));
  let set = sourceSets.get(srcs);
  if (set === undefined) {
    const singles = new Set<string>();
    const wide: AddressRange[] = [];
    for (const range of srcs) {
      if (range.first === range.last) singles.add(addressKey(range));
      else wide.push(range);
    }
    set = { singles, wide };
    sourceSets.set(srcs, set);
  }
  return set.singles.has(addressKey(src)) || set.wide.some((range) => covers(range, src));
}

/**
 * The entries of one destination's candidates whose sources name a single address, by that
 * address, and those with a wider source: which of them may admit a source is then looked up, not
 * scanned for (grants from thousands of users to one tag are asked about one user at a time).
 */
interface SourceIndex {
  readonly bySingle: ReadonlyMap<string, readonly number[]>;
  readonly wide: readonly number[];
}

const sourceIndexes = new WeakMap<readonly unknown[], SourceIndex>();

/**
 * The positions (ascending) of the entries of `list` whose sources (`srcsAt`) may hold the single
 * address `src`; `undefined` for all of them (a short list, or a wider `src`). Keyed by the list:
 * each list holds one kind of entry, so `srcsAt` reads the same sources for it every time.
 */
function entriesFrom(
  list: readonly unknown[],
  src: AddressRange,
  srcsAt: (i: number) => readonly AddressRange[],
): readonly number[] | undefined {
  if (list.length < INDEXED_FROM || src.first !== src.last) return undefined;
  let index = sourceIndexes.get(list);
  if (index === undefined) {
    const bySingle = new Map<string, number[]>();
    const wide: number[] = [];
    for (let i = 0; i < list.length; i++) {
      let wider = false;
      for (const range of srcsAt(i)) {
        if (range.first !== range.last) wider = true;
        else push(bySingle, addressKey(range), i);
      }
      if (wider) wide.push(i);
    }
    index = { bySingle, wide };
    sourceIndexes.set(list, index);
  }
  return mergeAscending([index.bySingle.get(addressKey(src)) ?? NONE, index.wide]);
}
