import { parseTree, visit, type Node } from 'jsonc-parser';

/** The comment tailkube writes above each entry it owns: `// tailkube: <constructs>`. */
const OWNER_COMMENT = /^\/\/\s*tailkube:/;

/** A policy's text without the entries tailkube owns, and how many there were. */
export interface UserEntries {
  readonly text: string;
  readonly removed: number;
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
  const markers: number[] = [];
  visit(text, {
    onComment: (offset, length) => {
      if (OWNER_COMMENT.test(text.slice(offset, offset + length))) markers.push(offset);
    },
  });
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (markers.length === 0 || tree === undefined) return { text, removed: 0 };
  const ranges: { start: number; end: number }[] = [];
  const walk = (node: Node): void => {
    if (node.type !== 'object' && node.type !== 'array') return;
    let gapStart = node.offset + 1;
    for (const child of node.children ?? []) {
      const marker = markers.find((offset) => offset >= gapStart && offset < child.offset);
      if (marker !== undefined) {
        ranges.push({ start: lineStart(text, marker), end: entryEnd(text, child.offset + child.length) });
      } else {
        walk(node.type === 'object' ? (child.children?.[1] ?? child) : child);
      }
      gapStart = child.offset + child.length;
    }
  };
  walk(tree);
  let result = text;
  for (const { start, end } of [...ranges].reverse()) result = result.slice(0, start) + result.slice(end);
  return { text: result, removed: ranges.length };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** After the entry: its comma, and the rest of its line when nothing else is on it. */
function entryEnd(text: string, offset: number): number {
  const rest = /^[ \t]*,?[ \t]*(\r?\n)?/.exec(text.slice(offset));
  return offset + (rest?.[0].length ?? 0);
}
