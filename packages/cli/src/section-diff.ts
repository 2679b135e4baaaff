import { structuredPatch } from 'diff';
import { parseTree } from 'jsonc-parser';
import { POLICY_SECTIONS } from '@tailkube/policy';
import { compareStrings } from '@tailkube/policy/internal';

/** One top-level section whose text differs, as unified diff hunks. */
export interface SectionDiff {
  /** The top-level key, or `(outside sections)` for comments and layout between them. */
  readonly section: string;
  /** Unified diff lines (`@@ … @@`, then ` `, `-` and `+` lines), live first, program second. */
  readonly lines: readonly string[];
}

/** Lines of context around each change, as `diff -u`. */
const CONTEXT = 3;
const OUTSIDE = '(outside sections)';

/**
 * The text diff of two HuJSON policies, section by section (in Tailscale's editor order, then any
 * other key), so a reviewer sees `grants` apart from `tagOwners`. Comments inside a section count.
 */
export function diffSections(live: string, program: string): readonly SectionDiff[] {
  const before = sectionTexts(live);
  const after = sectionTexts(program);
  const known: readonly string[] = POLICY_SECTIONS;
  const others = [...new Set([...before.keys(), ...after.keys()])]
    .filter((key) => !known.includes(key))
    .sort(compareStrings);
  const diffs: SectionDiff[] = [];
  for (const section of [...known, ...others]) {
    const lines = hunks(before.get(section) ?? '', after.get(section) ?? '');
    if (lines.length > 0) diffs.push({ section, lines });
  }
  if (diffs.length === 0 && normalize(live) !== normalize(program)) {
    diffs.push({ section: OUTSIDE, lines: hunks(normalize(live), normalize(program)) });
  }
  return diffs;
}

/** Each top-level property's text (`"key": value`), comments inside it included. */
function sectionTexts(text: string): Map<string, string> {
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const sections = new Map<string, string>();
  for (const property of tree?.type === 'object' ? (tree.children ?? []) : []) {
    const key = property.children?.[0]?.value;
    if (typeof key !== 'string') continue;
    const start = text.lastIndexOf('\n', property.offset) + 1;
    sections.set(key, `${normalize(text.slice(start, property.offset + property.length))}\n`);
  }
  return sections;
}

function hunks(before: string, after: string): string[] {
  if (before === after) return [];
  const patch = structuredPatch('live', 'program', before, after, undefined, undefined, { context: CONTEXT });
  // As `diff -u`: an empty side starts at line 0.
  const range = (start: number, lines: number): string => `${lines === 0 ? start - 1 : start},${lines}`;
  return patch.hunks.flatMap((hunk) => [
    `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`,
    ...hunk.lines,
  ]);
}

function normalize(text: string): string {
  return text.replace(/\r\n/g, '\n');
}
