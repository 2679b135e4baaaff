import type { Node } from 'jsonc-parser';
import { readHujson } from './hujson-reader';

const INDENT = '\t';
/** Arrays of scalars up to this width stay on one line, as in Tailscale's own editor. */
const INLINE_WIDTH = 80;

/** A value printed with a `// ...` comment line above it. */
export interface Commented {
  readonly comment: string;
  readonly value: unknown;
}

/** Where a HuJSON text is malformed. */
export interface HujsonFault {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** What the parser found. */
  readonly error: string;
}

/** The result of reading a HuJSON text. */
export type HujsonParse =
  | { readonly ok: true; readonly value: unknown; readonly tree: Node }
  | { readonly ok: false; readonly fault: HujsonFault };

export { MAX_DEPTH } from './hujson-reader';

/**
 * Reads HuJSON (JSON with comments and trailing commas) as Tailscale's reader
 * (github.com/tailscale/hujson) does, reporting the first fault: a `//` comment runs to the next LF
 * (a lone CR does not end it) and must end with one, and nesting stops at {@link MAX_DEPTH}. The
 * value's objects hold every key as an own property (`__proto__` included), as `JSON.parse` does.
 */
export function parseHujson(text: string): HujsonParse {
  const read = readHujson(text);
  if ('error' in read) return { ok: false, fault: faultAt(text, read.offset, read.error) };
  return { ok: true, value: read.value, tree: read.node };
}

function faultAt(text: string, offset: number, error: string): HujsonFault {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return { line: lineOf(text, offset), column: offset - lineStart + 1, error };
}

/** The 1-based line of `offset`: lines end at LF, as Tailscale's reader counts them. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}

/**
 * Prints `value` as HuJSON in Tailscale's canonical layout: tabs, one entry a line, trailing
 * commas, short lists of scalars on one line. Object keys keep their given order, so callers
 * sort them; {@link Commented} values get their comment on the line above.
 */
export function stringifyHujson(value: unknown, depth = 0): string {
  if (!isCommented(value) && typeof value !== 'object') return JSON.stringify(value);
  const out: string[] = [];
  print(value, depth, out);
  return out.join('');
}

/**
 * Appends the parts of `value` to `out`, joined once at the end: not a string grown piece by piece
 * (a rope that stays as large as its pieces until it is read). Each list item and object member is
 * joined into one string of its own as soon as it is printed ({@link member}), so a policy of tens
 * of thousands of entries holds one string per entry until the end, not each entry's pieces.
 */
function print(value: unknown, depth: number, out: string[]): void {
  if (isCommented(value)) {
    print(value.value, depth, out);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    // Only a list of scalars may print inline: its inline form is built for it alone.
    if (value.every(isScalar)) {
      const inline = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
      if (inline.length <= INLINE_WIDTH) {
        out.push(inline);
        return;
      }
    }
    const pad = INDENT.repeat(depth + 1);
    out.push('[');
    for (const item of value) out.push(member(item, depth + 1, pad, ''));
    out.push('\n', INDENT.repeat(depth), ']');
    return;
  }
  if (isObject(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    const pad = INDENT.repeat(depth + 1);
    out.push('{');
    for (const key of keys) out.push(member(value[key], depth + 1, pad, `${JSON.stringify(key)}: `));
    out.push('\n', INDENT.repeat(depth), '}');
    return;
  }
  out.push(String(JSON.stringify(value)));
}

/**
 * One list item or object member (`label` is its `"key": `), on a line of its own with its comment
 * line and trailing comma, as one string.
 */
function member(value: unknown, depth: number, pad: string, label: string): string {
  const parts = ['\n', commentLine(value, pad), pad, label];
  print(value, depth, parts);
  parts.push(',');
  return parts.join('');
}

/**
 * One entry of a list or object at `depth`, indented with `unit`, with its comment line (for a
 * {@link Commented} value) and trailing comma.
 */
export function entry(value: unknown, printed: string, depth: number, unit = INDENT): string {
  const pad = unit.repeat(depth);
  return `${commentLine(value, pad)}${pad}${printed},`;
}

/** The comment line above a {@link Commented} value; empty for any other. */
function commentLine(value: unknown, pad: string): string {
  return isCommented(value) ? `${pad}// ${value.comment}\n` : '';
}

function isScalar(value: unknown): boolean {
  const type = typeof value;
  return value === null || type === 'string' || type === 'number' || type === 'boolean';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isCommented(value);
}

/** Whether `value` is a {@link Commented} wrapper. */
export function isCommented(value: unknown): value is Commented {
  return value instanceof CommentedValue;
}

/** Wraps `value` so that it prints with `comment` above it. */
export function commented(comment: string, value: unknown): Commented {
  return new CommentedValue(comment, value);
}

class CommentedValue implements Commented {
  constructor(
    readonly comment: string,
    readonly value: unknown,
  ) {}
}
