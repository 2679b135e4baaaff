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
      const marker = markers.find((m) => m.offset >= gapStart && m.offset < child.offset);
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
  let result = text;
  for (const { start, end } of [...entries].reverse()) result = result.slice(0, start) + result.slice(end);
  return { text: result, removed: entries.length };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** After the entry: its comma, and the rest of its line when nothing else is on it. */
function entryEnd(text: string, offset: number): number {
  const rest = /^[ \t]*,?[ \t]*(\r?\n)?/.exec(text.slice(offset));
  return offset + (rest?.[0].length ?? 0);
}
