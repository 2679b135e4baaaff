// Values from the subpath import, which gives bundlers jsonc-parser's ES build (its UMD entry
// hides its own requires from them); types from the package, which every resolution mode finds.
import { createScanner, SyntaxKind } from '#jsonc-parser';
import type { Node } from 'jsonc-parser';
import { ValidationError } from './errors';
import { compareStrings, sortedRecord } from './order';
import {
  commented,
  entry,
  isCommented,
  lineOf,
  parseHujson,
  stringifyHujson,
  type Commented,
} from './hujson';
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

/** The canonical form of a generated item, computed once per render. */
type FormOf = (entry: Extract<GeneratedEntry, { readonly kind: 'item' }>) => string;

/** The rendered policy: HuJSON text and the document it holds. */
export interface RenderedPolicy {
  readonly text: string;
  readonly document: PolicyDocument;
  /** The generated entries the base did not already hold, by section. */
  readonly added: Readonly<Record<string, number>>;
  /**
   * Whether the policy allows all traffic because the base did ({@link isAllowAll}) and
   * `allowAll: 'keep'` wrote that out: no access can then be withheld, so an intended deny cannot
   * be enforced.
   */
  readonly allowsAll: boolean;
}

/** The choices for a base policy that allows all traffic, as {@link RenderOptions.allowAll} takes them. */
export const ALLOW_ALL_CHOICES = ['keep', 'deny'] as const;

/** What to do with a base policy that allows all traffic: see {@link RenderOptions.allowAll}. */
export type AllowAllChoice = (typeof ALLOW_ALL_CHOICES)[number];

/** Options of {@link renderPolicy}. */
export interface RenderOptions {
  /**
   * What to do when the base allows all traffic ({@link isAllowAll}: neither `acls` nor `grants`,
   * Tailscale's default policy) and tailkube adds a rule, which would otherwise turn the tailnet to
   * deny-by-default: `'keep'` writes the allow-all out as an explicit grant ({@link ALLOW_ALL_GRANT},
   * under a comment saying why), so everything stays reachable and nothing can be withheld;
   * `'deny'` adds the rules alone, so only what a rule grants stays reachable.
   *
   * @default - a {@link ValidationError} asks for the choice
   */
  readonly allowAll?: AllowAllChoice;
}

/** The grant that says what a policy without `acls` and `grants` means: everyone reaches everything. */
export const ALLOW_ALL_GRANT = { src: ['*'], dst: ['*'], ip: ['*'] } as const;

const ALLOW_ALL_COMMENT =
  'tailkube: the base policy had neither "acls" nor "grants", so it allowed all traffic; this grant keeps it so (allowAll: "keep")';

/**
 * Whether a policy allows all traffic because it has neither `acls` nor `grants` (keys matched
 * case-insensitively): the control plane's default (kb/1018 "ACLs": "the default policy allows all
 * traffic"; an empty `acls` list denies all).
 */
export function isAllowAll(policy: unknown): boolean {
  if (!isRecord(policy)) return true;
  // A JSON null decodes to Go's zero value: as if the section were absent.
  return !Object.entries(policy).some(
    ([key, value]) => RULE_SECTIONS.includes(key.toLowerCase()) && value !== null && value !== undefined,
  );
}

const RULE_SECTIONS: readonly string[] = ['acls', 'grants'];

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
  checkDuplicateSections(tailnetPath, text, parsed.tree);
  return {
    path: tailnetPath,
    fresh: base === undefined,
    text,
    tree: parsed.tree,
    value: parsed.value as Record<string, unknown>,
  };
}

/**
 * A top-level key given twice (names match case-insensitively, as the control plane's decoder
 * matches them) is refused, naming both lines: a merge into one of them would be read from the other.
 */
function checkDuplicateSections(tailnetPath: string, text: string, tree: Node): void {
  const first = new Map<string, Node>();
  for (const property of tree.children ?? []) {
    const key = property.children?.[0];
    if (key === undefined) continue;
    const name = String(key.value);
    const earlier = first.get(name.toLowerCase());
    if (earlier === undefined) {
      first.set(name.toLowerCase(), key);
      continue;
    }
    throw new ValidationError({
      path: tailnetPath,
      field: `basePolicy.${name}`,
      value: `${JSON.stringify(earlier.value)} on line ${lineOf(text, earlier.offset)} and ${JSON.stringify(name)} on line ${lineOf(text, key.offset)}`,
      allowed: 'each top-level key once (names match case-insensitively)',
      hint: 'merge the two blocks into one',
    });
  }
}

/**
 * Merges generated entries into a base policy (HuJSON text, comments kept) and prints the result.
 * Additive: an entry the base already holds is kept as the user wrote it; a key the base defines
 * differently is a {@link ValidationError} naming the construct and the base policy.
 */
export function renderPolicy(
  base: BasePolicy,
  entries: readonly GeneratedEntry[],
  options: RenderOptions = {},
): RenderedPolicy {
  return renderEntries(base, entries, options, new Map());
}

/**
 * {@link renderPolicy}, given the {@link canonical} forms of item values that the caller computed
 * already (to tell equal entries apart), by value object: a large program's entries are not
 * serialized again.
 */
export function renderEntries(
  base: BasePolicy,
  entries: readonly GeneratedEntry[],
  options: RenderOptions,
  known: ReadonlyMap<object, string>,
): RenderedPolicy {
  const { text, tree, value, path: tailnetPath } = base;
  // Each item's canonical form, computed at most once: the presence check and the order both use it.
  const forms = new Map<object, string>();
  const form: FormOf = (entry) => {
    let text = known.get(entry.value) ?? forms.get(entry.value);
    if (text === undefined) {
      text = canonical(entry.value);
      forms.set(entry.value, text);
    }
    return text;
  };
  const missing = entries.filter((entry) => !presentInBase(tailnetPath, value, entry, form));
  const addsRule = missing.some((entry) => entry.parent[0] === 'acls' || entry.parent[0] === 'grants');
  const allowsAll = !base.fresh && addsRule && isAllowAll(value) && allowAllChoice(base, options) === 'keep';
  const generated = generatedTree(missing, allowsAll, form);
  const merged = base.fresh ? freshPolicy(generated) : mergeIntoBase(text, tree, generated);
  // The document is the base's value with the entries added where the text has them: reading the
  // whole text again would cost as much as the merge.
  const document = withGenerated(value, generated, []) as PolicyDocument;
  const added: Record<string, number> = allowsAll ? { grants: 1 } : {};
  for (const entry of missing) {
    const section = entry.parent.join('.');
    added[section] = (added[section] ?? 0) + 1;
  }
  return { text: merged, document, added, allowsAll };
}

/**
 * `base` with the generated values added (comments dropped): lists appended to, objects copied
 * with their keys (found as the control plane matches them), never the base itself changed.
 */
function withGenerated(base: unknown, generated: unknown, parent: readonly string[]): unknown {
  if (isCommented(generated)) return generated.value;
  if (Array.isArray(generated)) {
    const items = generated.map((item: unknown) => (isCommented(item) ? item.value : item));
    return [...(Array.isArray(base) ? (base as unknown[]) : []), ...items];
  }
  const result: Record<string, unknown> = isRecord(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(generated as Record<string, unknown>)) {
    const name = keyOf(result, key, parent) ?? key;
    // A commented value is a leaf (tag owners, approvers): no path to pass down.
    const merged = isCommented(value) ? value.value : withGenerated(result[name], value, [...parent, key]);
    // Defined, not assigned: a key named "__proto__" is an entry like any other.
    Object.defineProperty(result, name, {
      value: merged,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/** The choice for a base that allows all traffic, or a {@link ValidationError} asking for it. */
function allowAllChoice(base: BasePolicy, options: RenderOptions): AllowAllChoice {
  if (options.allowAll !== undefined) return options.allowAll;
  throw new ValidationError({
    path: base.path,
    field: 'basePolicy',
    value: 'a policy with neither "acls" nor "grants", which allows all traffic',
    allowed: 'an explicit choice before tailkube adds the first rule, which would deny everything else',
    hint: 'set allowAll to "keep" to keep allowing all traffic (an intended deny then cannot be enforced), or to "deny" to allow only what rules grant',
  });
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

function presentInBase(tailnetPath: string, base: unknown, entry: GeneratedEntry, form: FormOf): boolean {
  let node: unknown = base;
  for (const [depth, key] of entry.parent.entries()) {
    if (!isRecord(node)) return false;
    node = fieldOf(node, key, depth === 0 ? NO_PARENT : entry.parent.slice(0, depth));
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
  if (entry.kind === 'item') {
    const items = canonicalItems(node as readonly unknown[]);
    return items.size > 0 && items.has(form(entry));
  }
  const existing = fieldOf(node as Record<string, unknown>, entry.key, entry.parent);
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

/**
 * The keys whose names the control plane matches case-insensitively: struct fields, at the top
 * level and in `autoApprovers`. Below them (tag names, routes, services) keys are exact.
 */
const STRUCT_PARENTS: ReadonlySet<string> = new Set(['', 'autoApprovers']);

/** The parent of a top-level key, shared. */
const NO_PARENT: readonly string[] = [];

function isStructParent(parent: readonly string[]): boolean {
  return parent.length === 0 || (parent.length === 1 && STRUCT_PARENTS.has(parent[0]!));
}

function matchesKey(name: string, key: string, parent: readonly string[]): boolean {
  return isStructParent(parent) ? name.toLowerCase() === key.toLowerCase() : name === key;
}

/**
 * The own key of `record` that `key` names under `parent`, or `undefined`. Only struct fields need
 * a scan (a case-insensitive match); below them a name is itself (a base's `tagOwners` may hold
 * tens of thousands of keys, each generated entry looks one up).
 */
function keyOf(
  record: Readonly<Record<string, unknown>>,
  key: string,
  parent: readonly string[],
): string | undefined {
  if (Object.hasOwn(record, key)) return key;
  if (!isStructParent(parent)) return undefined;
  return Object.keys(record).find((candidate) => matchesKey(candidate, key, parent));
}

/** `record[key]`, own keys only, matched as the control plane matches them under `parent`. */
function fieldOf(record: Readonly<Record<string, unknown>>, key: string, parent: readonly string[]): unknown {
  const name = keyOf(record, key, parent);
  return name === undefined ? undefined : record[name];
}

function formatKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Missing entries as one nested value in section order, keys sorted, items in a stable order. */
function generatedTree(
  entries: readonly GeneratedEntry[],
  allowAll: boolean,
  form: FormOf,
): Record<string, unknown> {
  // Without a prototype, so that a key named "__proto__" (a tag, a route) is an entry like any other.
  const object = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;
  const root = object();
  if (allowAll) root['grants'] = [commented(ALLOW_ALL_COMMENT, { ...ALLOW_ALL_GRANT })];
  // Each key computed once, not in the comparator (it serializes the entry).
  const sorted = entries
    .map((entry) => ({ entry, key: sortKey(entry, form) }))
    .sort((a, b) => compareStrings(a.key, b.key));
  for (const { entry } of sorted) {
    let node = root;
    const parents = entry.kind === 'item' ? entry.parent.slice(0, -1) : entry.parent;
    for (const key of parents) node = (node[key] ??= object()) as Record<string, unknown>;
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

function sortKey(entry: GeneratedEntry, form: FormOf): string {
  const section = String(POLICY_SECTIONS.indexOf(entry.parent[0] as never)).padStart(2, '0');
  const rest = entry.kind === 'key' ? entry.key : form(entry);
  return `${section}\u0000${entry.parent.join('\u0000')}\u0000${rest}`;
}

/** The canonical form of each item of a base list, computed once per list however many entries ask. */
const canonicalCache = new WeakMap<readonly unknown[], ReadonlySet<string>>();

function canonicalItems(list: readonly unknown[]): ReadonlySet<string> {
  let items = canonicalCache.get(list);
  if (items === undefined) {
    items = new Set(list.map(canonical));
    canonicalCache.set(list, items);
  }
  return items;
}

/** JSON with object keys sorted: equal for values that mean the same. */
export function canonical(value: unknown): string {
  try {
    const text = canonicalJson(value);
    if (text !== undefined) return text;
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  return JSON.stringify(value, (_key, v: unknown) => (isRecord(v) ? sortedRecord(v) : v));
}

/** Thrown by {@link canonicalJson} for a value it leaves to `JSON.stringify` (`toJSON`, a class). */
const NOT_PLAIN = Symbol('not plain data');

/** An array index key: `JSON.stringify` of a rebuilt object writes these first, ascending. */
const INDEX_KEY = /^(0|[1-9]\d{0,9})$/;

/**
 * What `JSON.stringify` writes for `value` with every object's keys in {@link sortedRecord} order,
 * for plain data, without copying each object: policy entries are canonicalized many times.
 */
function canonicalJson(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      throw NOT_PLAIN;
  }
  if (value === null) return 'null';
  const prototype: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (prototype !== Array.prototype) throw NOT_PLAIN;
    return `[${value.map((item: unknown) => canonicalJson(item) ?? 'null').join(',')}]`;
  }
  if (prototype !== Object.prototype && prototype !== null) throw NOT_PLAIN;
  const record = value as Record<string, unknown>;
  if (typeof record['toJSON'] === 'function') throw NOT_PLAIN;
  const keys = sortedKeys(record);
  // An object rebuilt from sorted entries holds its array-index keys first, in numeric order.
  const ordered = keys.some(isIndexKey) ? indexKeysFirst(keys) : keys;
  const parts: string[] = [];
  for (const key of ordered) {
    const text = canonicalJson(record[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * The keys of `record` in {@link compareStrings} order. A policy entry has a few keys: sorted in
 * place by insertion, as `sort` allocates a work copy on every call.
 */
function sortedKeys(record: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(record);
  if (keys.length > 8) return keys.sort(compareStrings);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
  return keys;
}

function isIndexKey(key: string): boolean {
  return INDEX_KEY.test(key) && Number(key) < 4294967295;
}

function indexKeysFirst(keys: readonly string[]): string[] {
  const indexes = keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...keys.filter((key) => !isIndexKey(key))];
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
  parent: readonly string[] = [],
): Insertion[] {
  const fresh: string[] = [];
  const insertions: Insertion[] = [];
  if (Array.isArray(generated)) {
    for (const item of generated) fresh.push(`${entry(item, stringify(item, depth, unit), depth, unit)}\n`);
  } else {
    const children = childNodes(node, parent);
    for (const [key, value] of Object.entries(generated)) {
      const child = children(key);
      if (child === undefined) {
        fresh.push(
          `${entry(value, `${JSON.stringify(key)}: ${stringify(value, depth, unit)}`, depth, unit)}\n`,
        );
      } else {
        insertions.push(
          ...insertInto(text, child, value as Record<string, unknown>, depth + 1, unit, [...parent, key]),
        );
      }
    }
  }
  if (fresh.length > 0) insertions.push(...appendToContainer(text, node, fresh, depth, unit));
  return insertions;
}

/**
 * The value node of a key in object `node`: the last of repeated keys, which is the one read. Keys
 * below the struct fields are exact, so their nodes are found through one map of the object.
 */
function childNodes(node: Node, parent: readonly string[]): (key: string) => Node | undefined {
  const properties = node.children ?? [];
  if (isStructParent(parent)) {
    return (key) => {
      let found: Node | undefined;
      for (const property of properties) {
        const [name, value] = property.children ?? [];
        if (name !== undefined && matchesKey(String(name.value), key, parent)) found = value;
      }
      return found;
    };
  }
  const byName = new Map<string, Node | undefined>();
  for (const property of properties) {
    const [name, value] = property.children ?? [];
    if (name !== undefined) byName.set(String(name.value), value);
  }
  return (key) => byName.get(key);
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
