import {
  createScanner,
  parseTree,
  printParseErrorCode,
  SyntaxKind,
  type Node,
  type ParseError,
} from 'jsonc-parser';

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

/**
 * The deepest nesting read. Go's `encoding/json`, which decodes the policy after Tailscale's HuJSON
 * reader standardizes it, stops at 10000 levels; this reader stops earlier, where a JavaScript stack
 * still holds, and no policy comes near either.
 */
export const MAX_DEPTH = 1000;

const OPTIONS = { allowTrailingComma: true, disallowComments: false };

/**
 * Reads HuJSON (JSON with comments and trailing commas) as Tailscale's reader
 * (github.com/tailscale/hujson) does, reporting the first fault: a `//` comment runs to the next LF
 * (a lone CR does not end it) and must end with one, and nesting stops at {@link MAX_DEPTH}. The
 * value's objects hold every key as an own property (`__proto__` included), as `JSON.parse` does.
 */
export function parseHujson(text: string): HujsonParse {
  const scanned = scan(text);
  if ('fault' in scanned) return { ok: false, fault: faultAt(text, scanned.offset, scanned.fault) };
  const errors: ParseError[] = [];
  const tree = parseTree(scanned.text, errors, OPTIONS);
  const first = errors[0];
  if (first || tree === undefined) {
    return {
      ok: false,
      fault: faultAt(text, first?.offset ?? 0, first ? printParseErrorCode(first.error) : 'EmptyDocument'),
    };
  }
  return { ok: true, value: valueOf(tree), tree };
}

/**
 * One pass over the tokens: comments cut as Tailscale's reader cuts them (the text after a `//`
 * up to the next LF blanked, so no other reader sees a line end at a lone CR), and the depth.
 */
function scan(text: string): { readonly text: string } | { readonly fault: string; readonly offset: number } {
  const scanner = createScanner(text, false);
  const blanks: [number, number][] = [];
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      depth += 1;
      if (depth > MAX_DEPTH)
        return {
          fault: `exceeded max depth of ${MAX_DEPTH} nested objects and lists`,
          offset: scanner.getTokenOffset(),
        };
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      depth -= 1;
    } else if (token === SyntaxKind.LineCommentTrivia) {
      const start = scanner.getTokenOffset();
      const end = text.indexOf('\n', start);
      if (end < 0)
        return {
          fault: 'parsing comment: unexpected EOF (a // comment must end with a line feed)',
          offset: start,
        };
      if (end > start + scanner.getTokenLength()) {
        blanks.push([start, end]);
        scanner.setPosition(end);
      }
    }
  }
  if (blanks.length === 0) return { text };
  let result = '';
  let at = 0;
  for (const [start, end] of blanks) {
    result += `${text.slice(at, start)}${' '.repeat(end - start)}`;
    at = end;
  }
  return { text: result + text.slice(at) };
}

function faultAt(text: string, offset: number, error: string): HujsonFault {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: lineOf(text, offset), column: offset - lineStart + 1, error };
}

/** The 1-based line of `offset`: lines end at LF, as Tailscale's reader counts them. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}

/** The value of a parse tree, every object key an own property. */
function valueOf(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const object: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key === undefined || value === undefined) continue;
        Object.defineProperty(object, key.value as string, {
          value: valueOf(value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
    case 'array':
      return (node.children ?? []).map(valueOf);
    default:
      return node.value;
  }
}

/**
 * Prints `value` as HuJSON in Tailscale's canonical layout: tabs, one entry a line, trailing
 * commas, short lists of scalars on one line. Object keys keep their given order, so callers
 * sort them; {@link Commented} values get their comment on the line above.
 */
export function stringifyHujson(value: unknown, depth = 0): string {
  if (isCommented(value)) return stringifyHujson(value.value, depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inline = `[${value.map((item) => stringifyHujson(item, depth)).join(', ')}]`;
    if (value.every(isScalar) && inline.length <= INLINE_WIDTH) return inline;
    return block(
      '[',
      ']',
      value.map((item) => entry(item, stringifyHujson(item, depth + 1), depth + 1)),
      depth,
    );
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return block(
      '{',
      '}',
      entries.map(([key, v]) =>
        entry(v, `${JSON.stringify(key)}: ${stringifyHujson(v, depth + 1)}`, depth + 1),
      ),
      depth,
    );
  }
  return JSON.stringify(value);
}

/**
 * One entry of a list or object at `depth`, indented with `unit`, with its comment line (for a
 * {@link Commented} value) and trailing comma.
 */
export function entry(value: unknown, printed: string, depth: number, unit = INDENT): string {
  const pad = unit.repeat(depth);
  const comment = isCommented(value) ? `${pad}// ${value.comment}\n` : '';
  return `${comment}${pad}${printed},`;
}

function block(open: string, close: string, lines: readonly string[], depth: number): string {
  return `${open}\n${lines.join('\n')}\n${INDENT.repeat(depth)}${close}`;
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
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
