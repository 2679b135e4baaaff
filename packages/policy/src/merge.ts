import { createScanner, findNodeAtLocation, SyntaxKind, type Node } from 'jsonc-parser';
import { ValidationError } from './errors';
import { compareStrings, sortedRecord } from './order';
import { commented, entry, parseHujson, stringifyHujson, type Commented } from './hujson';
import { POLICY_SECTIONS, type PolicyDocument } from './document';

/** Where a generated entry goes: a key in an object, or an item appended to a list. */
export type GeneratedEntry =
  | {
      /** `parent[key]` is a list of names (tag owners, approvers); a base value must include them. */
      readonly kind: 'key';
      readonly parent: readonly string[];
      readonly key: string;
      readonly value: readonly string[];
      /** The constructs that need the entry. */
      readonly sources: readonly string[];
    }
  | {
      /** `value` is appended to the list at `parent` unless an equal item is already there. */
      readonly kind: 'item';
      readonly parent: readonly string[];
      readonly value: object;
      readonly sources: readonly string[];
    };

/** The rendered policy: HuJSON text and the document it holds. */
export interface RenderedPolicy {
  readonly text: string;
  readonly document: PolicyDocument;
  /** The generated entries the base did not already hold, by section. */
  readonly added: Readonly<Record<string, number>>;
}

/** Shown at the top of a policy file that tailkube writes from scratch. */
export const GENERATED_HEADER =
  '// Tailnet policy written by tailkube. Entries below a "// tailkube:" comment are derived\n' +
  '// from the program that declares the cluster: change the program, not the entries.\n';

/**
 * The body of a policy written from scratch. A policy with neither `acls` nor `grants` allows all
 * traffic, so tailkube starts from an explicit empty `grants`: nothing is reachable until granted.
 */
const DENY_COMMENT = 'Deny by default: without "acls" or "grants" the control plane would allow all traffic.';
const DENY_BY_DEFAULT = `{\n\t// ${DENY_COMMENT}\n\t"grants": [],\n}\n`;

/** The policy tailkube starts from when the program gives no base: nothing is reachable yet. */
export const EMPTY_POLICY = `${GENERATED_HEADER}${DENY_BY_DEFAULT}`;

const BASE_SOURCE = 'the base policy';

/** A base policy that parsed, with where it came from. */
export interface BasePolicy {
  /** The tailnet it belongs to, as named in messages. */
  readonly path: string;
  /** Whether the program gave no base, so tailkube writes the whole file. */
  readonly fresh: boolean;
  readonly text: string;
  readonly tree: Node;
  readonly value: Readonly<Record<string, unknown>>;
}

/**
 * Reads the user's base policy (or an empty one with tailkube's header), throwing a
 * {@link ValidationError} for `basePolicy` when it is not a HuJSON object.
 */
export function parseBasePolicy(tailnetPath: string, base: string | undefined): BasePolicy {
  const text = base ?? EMPTY_POLICY;
  const parsed = parseHujson(text);
  if (!parsed.ok) {
    const { line, column, error } = parsed.fault;
    throw new ValidationError({
      path: tailnetPath,
      field: 'basePolicy',
      value: `${error} at line ${line}, column ${column}`,
      allowed: 'a HuJSON policy document (JSON with comments and trailing commas)',
    });
  }
  if (parsed.tree.type !== 'object') {
    throw new ValidationError({
      path: tailnetPath,
      field: 'basePolicy',
      value: parsed.tree.type,
      allowed: 'a HuJSON object such as {"grants": []}',
    });
  }
  return {
    path: tailnetPath,
    fresh: base === undefined,
    text,
    tree: parsed.tree,
    value: parsed.value as Record<string, unknown>,
  };
}

/**
 * Merges generated entries into a base policy (HuJSON text, comments kept) and prints the result.
 * Additive: an entry the base already holds is kept as the user wrote it; a key the base defines
 * differently is a {@link ValidationError} naming the construct and the base policy.
 */
export function renderPolicy(base: BasePolicy, entries: readonly GeneratedEntry[]): RenderedPolicy {
  const { text, tree, value, path: tailnetPath } = base;
  const missing = entries.filter((entry) => !presentInBase(tailnetPath, value, entry));
  const generated = generatedTree(missing);
  const merged = base.fresh ? freshPolicy(generated) : mergeIntoBase(text, tree, generated);
  const reparsed = parseHujson(merged);
  if (!reparsed.ok) throw new Error(`tailkube rendered an unreadable policy: ${reparsed.fault.error}`);
  const added: Record<string, number> = {};
  for (const entry of missing) {
    const section = entry.parent.join('.');
    added[section] = (added[section] ?? 0) + 1;
  }
  return { text: merged, document: reparsed.value as PolicyDocument, added };
}

/** A whole policy in section order; with no grant yet, an explicit empty `grants` denies all. */
function freshPolicy(generated: Readonly<Record<string, unknown>>): string {
  const ordered: Record<string, unknown> = {};
  for (const section of POLICY_SECTIONS) {
    const value = generated[section] ?? (section === 'grants' ? commented(DENY_COMMENT, []) : undefined);
    if (value !== undefined) ordered[section] = value;
  }
  return `${GENERATED_HEADER}${stringifyHujson(ordered)}\n`;
}

/** The base text with the generated entries inserted, its comments and layout kept. */
function mergeIntoBase(text: string, tree: Node, generated: Readonly<Record<string, unknown>>): string {
  const unit = detectIndent(text);
  // Generated lines follow the base's line endings, so a CRLF file does not end up mixed.
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const insertions = insertInto(text, tree, generated, 1, unit).map((insertion) => ({
    ...insertion,
    text: insertion.text.replace(/\n/g, eol),
  }));
  return applyInsertions(text, insertions);
}

function presentInBase(tailnetPath: string, base: unknown, entry: GeneratedEntry): boolean {
  let node: unknown = base;
  for (const [depth, key] of entry.parent.entries()) {
    if (!isRecord(node)) return false;
    node = node[key];
    if (node === undefined) return false;
    const expectList = entry.kind === 'item' && depth === entry.parent.length - 1;
    if (expectList ? !Array.isArray(node) : !isRecord(node)) {
      throw new ValidationError({
        path: tailnetPath,
        field: `basePolicy.${entry.parent.slice(0, depth + 1).join('.')}`,
        value: node,
        allowed: expectList ? 'a list' : 'an object',
      });
    }
  }
  if (entry.kind === 'item') return canonicalItems(node as readonly unknown[]).has(canonical(entry.value));
  const existing = (node as Record<string, unknown>)[entry.key];
  if (existing === undefined) return false;
  const have = Array.isArray(existing) ? existing : [];
  const lacking = entry.value.filter((name) => !have.includes(name));
  if (lacking.length === 0) return true;
  throw new ValidationError({
    path: entry.sources.join(', '),
    field: `${[...entry.parent, entry.key].map(formatKey).join('')}`.replace(/^\./, ''),
    value: existing,
    allowed: `a list that includes ${JSON.stringify(entry.value)}`,
    hint: `${BASE_SOURCE} defines it differently; add ${JSON.stringify(lacking)} there, or remove the entry and let tailkube write it`,
  });
}

/** The {@link canonical} form of each item of a base list, computed once per list. */
const canonicalLists = new WeakMap<readonly unknown[], ReadonlySet<string>>();

function canonicalItems(list: readonly unknown[]): ReadonlySet<string> {
  let items = canonicalLists.get(list);
  if (items === undefined) {
    items = new Set(list.map(canonical));
    canonicalLists.set(list, items);
  }
  return items;
}

function formatKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Missing entries as one nested value in section order, keys sorted, items in a stable order. */
function generatedTree(entries: readonly GeneratedEntry[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  // Each key computed once, not in the comparator (it serializes the entry).
  const sorted = entries
    .map((entry) => ({ entry, key: sortKey(entry) }))
    .sort((a, b) => compareStrings(a.key, b.key));
  for (const { entry } of sorted) {
    let node = root;
    const parents = entry.kind === 'item' ? entry.parent.slice(0, -1) : entry.parent;
    for (const key of parents) node = (node[key] ??= {}) as Record<string, unknown>;
    const comment = `tailkube: ${entry.sources.join(', ')}`;
    if (entry.kind === 'key') {
      node[entry.key] = commented(comment, entry.value);
    } else {
      const last = entry.parent.at(-1) as string;
      ((node[last] ??= []) as Commented[]).push(commented(comment, entry.value));
    }
  }
  return root;
}

function sortKey(entry: GeneratedEntry): string {
  const section = String(POLICY_SECTIONS.indexOf(entry.parent[0] as never)).padStart(2, '0');
  const rest = entry.kind === 'key' ? entry.key : canonical(entry.value);
  return `${section}\u0000${entry.parent.join('\u0000')}\u0000${rest}`;
}

/** JSON with object keys sorted: equal for values that mean the same. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isRecord(v) ? sortedRecord(v) : v));
}

interface Insertion {
  readonly offset: number;
  readonly text: string;
}

/** Text insertions that add `generated` to the object `node` of the base text. */
function insertInto(
  text: string,
  node: Node,
  generated: Record<string, unknown> | readonly unknown[],
  depth: number,
  unit: string,
): Insertion[] {
  const fresh: string[] = [];
  const insertions: Insertion[] = [];
  if (Array.isArray(generated)) {
    for (const item of generated) fresh.push(`${entry(item, stringify(item, depth, unit), depth, unit)}\n`);
  } else {
    for (const [key, value] of Object.entries(generated)) {
      const child = findNodeAtLocation(node, [key]);
      if (child === undefined) {
        fresh.push(
          `${entry(value, `${JSON.stringify(key)}: ${stringify(value, depth, unit)}`, depth, unit)}\n`,
        );
      } else {
        insertions.push(...insertInto(text, child, value as Record<string, unknown>, depth + 1, unit));
      }
    }
  }
  if (fresh.length > 0) insertions.push(...appendToContainer(text, node, fresh, depth, unit));
  return insertions;
}

function stringify(value: unknown, depth: number, unit: string): string {
  return stringifyHujson(value, depth).replace(/^\t+/gm, (tabs) => unit.repeat(tabs.length));
}

/** Insertions that put `lines` at the end of the list or object `node`. */
function appendToContainer(
  text: string,
  node: Node,
  lines: readonly string[],
  depth: number,
  unit: string,
): Insertion[] {
  const close = node.offset + node.length - 1;
  const last = node.children?.at(-1);
  const insertions: Insertion[] = [];
  if (last) {
    const lastEnd = last.offset + last.length;
    if (!hasComma(text.slice(lastEnd, close))) insertions.push({ offset: lastEnd, text: ',' });
  }
  const lineStart = text.lastIndexOf('\n', close - 1) + 1;
  const closeOnOwnLine = /^[ \t]*$/.test(text.slice(lineStart, close));
  const body = lines.join('');
  insertions.push(
    closeOnOwnLine
      ? { offset: lineStart, text: body }
      : { offset: close, text: `\n${body}${unit.repeat(depth - 1)}` },
  );
  return insertions;
}

function hasComma(between: string): boolean {
  const scanner = createScanner(between, false);
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.CommaToken) return true;
  }
  return false;
}

function applyInsertions(text: string, insertions: readonly Insertion[]): string {
  // Stable for equal offsets: later-generated text stays after earlier-generated text.
  const ordered = insertions.map((insertion, index) => ({ ...insertion, index }));
  ordered.sort((a, b) => b.offset - a.offset || b.index - a.index);
  let result = text;
  for (const { offset, text: inserted } of ordered) {
    result = result.slice(0, offset) + inserted + result.slice(offset);
  }
  return result;
}

/** The base's indentation unit (a tab unless its first indented line uses spaces). */
function detectIndent(text: string): string {
  const match = /\n([ \t]+)["{[/]/.exec(text);
  if (!match?.[1] || match[1].startsWith('\t')) return '\t';
  return match[1];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
