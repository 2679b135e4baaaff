import { parseTree, visit, type Node } from 'jsonc-parser';

/** The comment tailkube writes above each entry it owns: `// tailkube: <constructs>`. */
const OWNER_COMMENT = /^\/\/\s*tailkube:/;

/** An entry a tailkube program wrote, below its `// tailkube: <constructs>` comment. */
export interface OwnedEntry {
  /** Where in the policy, such as `['grants', 0]` or `['tagOwners', 'tag:k8s']`. */
  readonly path: readonly (string | number)[];
  /** The constructs that need it, as the comment names them. */
  readonly sources: readonly string[];
  /** The text range of the entry, its comment line and trailing comma included. */
  readonly start: number;
  readonly end: number;
}

/** A policy's text without the entries tailkube owns, and how many there were. */
export interface UserEntries {
  readonly text: string;
  readonly removed: number;
}

/** The entries of a policy's text that a tailkube program wrote, in text order. */
export function ownedEntries(text: string): readonly OwnedEntry[] {
  const markers: { offset: number; sources: string[] }[] = [];
  visit(text, {
    onComment: (offset, length) => {
      const comment = text.slice(offset, offset + length);
      if (!OWNER_COMMENT.test(comment)) return;
      const sources = comment.replace(OWNER_COMMENT, '').trim();
      markers.push({ offset, sources: sources.split(/, (?=[A-Z])/) });
    },
  });
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (markers.length === 0 || tree === undefined) return [];
  const entries: OwnedEntry[] = [];
  const walk = (node: Node, path: readonly (string | number)[]): void => {
    if (node.type !== 'object' && node.type !== 'array') return;
    let gapStart = node.offset + 1;
    for (const [index, child] of (node.children ?? []).entries()) {
      const key = node.type === 'object' ? String(child.children?.[0]?.value) : index;
      const next = markers[firstAtOrAfter(markers, gapStart)];
      const marker = next !== undefined && next.offset < child.offset ? next : undefined;
      if (marker !== undefined) {
        entries.push({
          path: [...path, key],
          sources: marker.sources,
          start: lineStart(text, marker.offset),
          end: entryEnd(text, child.offset + child.length),
        });
      } else {
        walk(node.type === 'object' ? (child.children?.[1] ?? child) : child, [...path, key]);
      }
      gapStart = child.offset + child.length;
    }
  };
  walk(tree, []);
  return entries;
}

/**
 * The policy's text without the entries a tailkube program wrote (each below a `// tailkube:`
 * comment), everything else (comments, layout, entries edited in the console) as it was.
 *
 * A pulled policy becomes the program's base; were the program's own entries left in, they would
 * outlive the constructs that need them, because merging only adds. Drift is measured on the same
 * text, so the program's own writes are not mistaken for edits.
 */
export function withoutOwnedEntries(text: string): UserEntries {
  const entries = ownedEntries(text);
  // The text between the entries (in text order, apart), joined once: cutting one entry at a time
  // would copy the whole text per entry.
  const kept: string[] = [];
  let at = 0;
  for (const { start, end } of entries) {
    kept.push(text.slice(at, start));
    at = end;
  }
  kept.push(text.slice(at));
  return { text: kept.join(''), removed: entries.length };
}

/** The index of the first marker (in text order) at or after `offset`; the length when none is. */
function firstAtOrAfter(markers: readonly { readonly offset: number }[], offset: number): number {
  let low = 0;
  let high = markers.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (markers[mid]!.offset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** After the entry: its comma, and the rest of its line when nothing else is on it. */
function entryEnd(text: string, offset: number): number {
  const rest = /^[ \t]*,?[ \t]*(\r?\n)?/.exec(text.slice(offset));
  return offset + (rest?.[0].length ?? 0);
}
