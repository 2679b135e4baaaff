import { parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

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

/** Reads HuJSON (JSON with comments and trailing commas), reporting the first fault. */
export function parseHujson(text: string): HujsonParse {
  const errors: ParseError[] = [];
  const options = { allowTrailingComma: true, disallowComments: false };
  const value: unknown = parse(text, errors, options);
  const tree = parseTree(text, [], options);
  const first = errors[0];
  if (first || tree === undefined) {
    const offset = first?.offset ?? 0;
    const before = text.slice(0, offset).split('\n');
    return {
      ok: false,
      fault: {
        line: before.length,
        column: (before.at(-1)?.length ?? 0) + 1,
        error: first ? printParseErrorCode(first.error) : 'EmptyDocument',
      },
    };
  }
  return { ok: true, value, tree };
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
    // Only a list of scalars may print inline: its inline form is built for it alone.
    if (value.every(isScalar)) {
      const inline = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
      if (inline.length <= INLINE_WIDTH) return inline;
    }
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
