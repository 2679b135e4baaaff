import type { PolicyDocument } from './document';
import type { PolicyFault } from './engine/fault';

/**
 * Reading a policy the way the control plane's JSON decoder does, before any rule looks at it.
 *
 * - Field names match case-insensitively (`"ACLs"`, `"Action"`): Go's `encoding/json` matches struct
 *   fields so, and headscale's policy v2 decodes with `json.MatchCaseInsensitiveNames(true)`
 *   (`hscontrol/policy/v2/types.go`). Map keys (group, host, tag names, routes) stay exact.
 * - Legacy forms kb/1337 still documents are read as their current ones: an ACL's `users` and
 *   `ports` are `src` and `dst`, a test's `allow` is `accept`, `autogroup:members` is
 *   `autogroup:member`.
 * - Every value is checked for its shape; a wrong one is a fault naming its path and is left out,
 *   so the rules that follow see only well-formed entries and never throw.
 * - Named sets (`groups`, `hosts`, `tagOwners`, …) become objects without a prototype: a lookup of
 *   `toString` or `__proto__` finds only an entry the policy declares.
 */

/** The shape of one value. */
type Shape =
  | 'string'
  | 'boolean'
  | 'strings'
  | 'selectors'
  | 'object'
  | 'scalars'
  | 'app'
  | 'stringMap'
  | 'listMap'
  | 'ownerMap'
  | { readonly list: Struct }
  | { readonly struct: Struct };

/** A JSON object decoded into a struct: its fields, their legacy names, and the required ones. */
interface Struct {
  readonly fields: Readonly<Record<string, Shape>>;
  /** Legacy name (lower case) → current field. */
  readonly legacy?: Readonly<Record<string, string>>;
  readonly required?: readonly string[];
}

const ACL: Struct = {
  fields: { action: 'string', src: 'selectors', dst: 'selectors', proto: 'string', srcPosture: 'strings' },
  // kb/1337 "ACLs": the legacy fields `users` and `ports` are still read as `src` and `dst`.
  legacy: { users: 'src', ports: 'dst' },
  required: ['src', 'dst'],
};

const GRANT: Struct = {
  fields: {
    src: 'selectors',
    dst: 'selectors',
    ip: 'strings',
    app: 'app',
    via: 'selectors',
    srcPosture: 'strings',
  },
  required: ['src', 'dst'],
};

const AUTO_APPROVERS: Struct = {
  fields: { routes: 'ownerMap', exitNode: 'selectors', services: 'ownerMap' },
};

const NODE_ATTR: Struct = {
  fields: { target: 'selectors', attr: 'strings', app: 'app', ipPool: 'strings' },
  required: ['target'],
};

const SSH: Struct = {
  fields: {
    action: 'string',
    src: 'selectors',
    dst: 'selectors',
    users: 'strings',
    checkPeriod: 'string',
    acceptEnv: 'strings',
    // kb/1246 (session recording): the recorder tags, and whether a session may start without one.
    recorder: 'selectors',
    enforceRecorder: 'boolean',
  },
  required: ['src', 'dst', 'users'],
};

const TEST: Struct = {
  fields: {
    src: 'string',
    proto: 'string',
    accept: 'strings',
    deny: 'strings',
    srcPostureAttrs: 'scalars',
  },
  // kb/1337 "tests": `allow` is the former name of `accept`.
  legacy: { allow: 'accept' },
};

const SSH_TEST: Struct = {
  fields: { src: 'string', dst: 'strings', accept: 'strings', check: 'strings', deny: 'strings' },
};

const POLICY: Struct = {
  fields: {
    groups: 'listMap',
    hosts: 'stringMap',
    tagOwners: 'ownerMap',
    acls: { list: ACL },
    grants: { list: GRANT },
    autoApprovers: { struct: AUTO_APPROVERS },
    nodeAttrs: { list: NODE_ATTR },
    ssh: { list: SSH },
    tests: { list: TEST },
    sshTests: { list: SSH_TEST },
    postures: 'listMap',
    defaultSrcPosture: 'strings',
    ipsets: 'listMap',
    randomizeClientPort: 'boolean',
    disableIPv4: 'boolean',
    OneCGNATRoute: 'string',
    derpMap: 'object',
  },
};

/** Top-level keys the control plane accepts, in their canonical spelling. */
export const POLICY_KEYS = Object.keys(POLICY.fields) as readonly (keyof PolicyDocument)[];

/** A policy read as the control plane reads it: the well-formed document, and what was not. */
export interface NormalizedPolicy {
  readonly document: PolicyDocument;
  readonly faults: readonly PolicyFault[];
}

const normalized = new WeakMap<object, NormalizedPolicy>();

/**
 * Reads any value as a policy document (see the module comment), once per object: the engine's
 * entry points call it on what they are given, so a caller may pass parsed JSON as it is.
 */
export function normalizePolicy(input: unknown): NormalizedPolicy {
  const key = typeof input === 'object' && input !== null ? input : undefined;
  const cached = key && normalized.get(key);
  if (cached) return cached;
  const faults: PolicyFault[] = [];
  const value = isRecord(input)
    ? readStruct(input, POLICY, '', faults)
    : (faults.push({ path: '', message: `the policy must be a JSON object, got ${typeName(input)}` }),
      Object.create(null));
  const result: NormalizedPolicy = { document: value as PolicyDocument, faults };
  if (key) normalized.set(key, result);
  // Normalizing the result again gives the result: the engine's entry points call each other.
  normalized.set(result.document, { document: result.document, faults: [] });
  return result;
}

/** The well-formed part of a policy: what the engine's rules evaluate. */
export function policyDocument(input: unknown): PolicyDocument {
  return normalizePolicy(input).document;
}

function readStruct(
  input: Readonly<Record<string, unknown>>,
  struct: Struct,
  path: string,
  faults: PolicyFault[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Map<string, string>();
  // Whether the input reads as itself: then it is kept, not copied (see readValue).
  let same = Object.getPrototypeOf(input) === Object.prototype;
  for (const [key, raw] of Object.entries(input)) {
    const at = path === '' ? key : `${path}.${key}`;
    const field = fieldName(struct, key);
    if (field === undefined) {
      faults.push({ path: at, message: `unknown field ${JSON.stringify(key)}` });
      same = false;
      continue;
    }
    const earlier = seen.get(field);
    if (earlier !== undefined) {
      faults.push({
        path: at,
        message: `${JSON.stringify(key)} repeats the field ${JSON.stringify(earlier)} (names match case-insensitively, legacy names included)`,
      });
      same = false;
      continue;
    }
    seen.set(field, key);
    // A JSON null decodes to Go's zero value: as if the field were absent.
    if (raw === null) {
      same = false;
      continue;
    }
    const value = readValue(raw, struct.fields[field] as Shape, at, faults);
    if (value !== undefined) out[field] = value;
    if (field !== key || value !== raw) same = false;
  }
  for (const field of struct.required ?? []) {
    if (!seen.has(field)) {
      const at = path === '' ? field : `${path}.${field}`;
      faults.push({ path: at, message: `${field} is required` });
    }
  }
  return same ? (input as Record<string, unknown>) : out;
}

/** Per struct: each field and legacy name, lower-cased, to the current field (built on first use). */
const fieldsByName = new WeakMap<Struct, ReadonlyMap<string, string>>();

function fieldName(struct: Struct, key: string): string | undefined {
  let names = fieldsByName.get(struct);
  if (names === undefined) {
    const built = new Map<string, string>();
    // The first current field of the name, else its legacy name.
    for (const field of Object.keys(struct.fields)) {
      if (!built.has(field.toLowerCase())) built.set(field.toLowerCase(), field);
    }
    for (const [lower, field] of Object.entries(struct.legacy ?? {})) {
      if (!built.has(lower)) built.set(lower, field);
    }
    names = built;
    fieldsByName.set(struct, names);
  }
  return names.get(key.toLowerCase());
}

/**
 * Reads one value of `shape`. A value already in its read form (plain objects and lists, fields
 * spelled as the struct spells them, every item well-formed) is returned as it is, not copied: a
 * policy tailkube writes, tens of thousands of entries, is read right after it is built.
 */
function readValue(raw: unknown, shape: Shape, path: string, faults: PolicyFault[]): unknown {
  const wrong = (want: string): undefined => {
    faults.push({ path, message: `want ${want}, got ${typeName(raw)}` });
    return undefined;
  };
  if (typeof shape === 'object') {
    if ('struct' in shape)
      return isRecord(raw) ? readStruct(raw, shape.struct, path, faults) : wrong('an object');
    if (!Array.isArray(raw)) return wrong('a list of objects');
    const entries: Record<string, unknown>[] = [];
    let same = isPlainList(raw);
    let count = 0;
    raw.forEach((item: unknown, index) => {
      count += 1;
      const at = `${path}[${index}]`;
      if (!isRecord(item)) {
        faults.push({ path: at, message: `want an object, got ${typeName(item)}` });
        same = false;
        return;
      }
      // An entry without a required field is left out whole: its fault is reported already.
      const entry = readStruct(item, shape.list, at, faults);
      if ((shape.list.required ?? []).every((field) => field in entry)) entries.push(entry);
      else same = false;
      if (entry !== item) same = false;
    });
    return same && count === raw.length ? raw : entries;
  }
  switch (shape) {
    case 'string':
      return typeof raw === 'string' ? raw : wrong('a string');
    case 'boolean':
      return typeof raw === 'boolean' ? raw : wrong('true or false');
    case 'object':
      return isRecord(raw) ? raw : wrong('an object');
    case 'strings':
    case 'selectors':
      return readStrings(raw, path, faults, shape === 'selectors');
    case 'scalars':
      return readMap(raw, path, faults, (value, at) =>
        ['string', 'number', 'boolean'].includes(typeof value)
          ? value
          : (faults.push({ path: at, message: `want a string, number or boolean, got ${typeName(value)}` }),
            undefined),
      );
    case 'app':
      return readMap(raw, path, faults, (value, at) =>
        Array.isArray(value)
          ? value
          : (faults.push({ path: at, message: `want a list, got ${typeName(value)}` }), undefined),
      );
    case 'stringMap':
      return readMap(raw, path, faults, (value, at) =>
        typeof value === 'string'
          ? value
          : (faults.push({ path: at, message: `want a string, got ${typeName(value)}` }), undefined),
      );
    case 'listMap':
    case 'ownerMap':
      return readMap(raw, path, faults, (value, at) => readStrings(value, at, faults, shape === 'ownerMap'));
  }
}

/** A list of strings; selectors have their legacy spellings replaced. */
function readStrings(
  raw: unknown,
  path: string,
  faults: PolicyFault[],
  selectors: boolean,
): string[] | undefined {
  if (!Array.isArray(raw)) {
    faults.push({ path, message: `want a list of strings, got ${typeName(raw)}` });
    return undefined;
  }
  const strings: string[] = [];
  let same = isPlainList(raw);
  // A hole is skipped, as `forEach` skips it: the list is then read into a new one.
  let count = 0;
  raw.forEach((item: unknown, index) => {
    count += 1;
    if (typeof item === 'string') {
      const read = selectors ? currentSelector(item) : item;
      strings.push(read);
      if (read !== item) same = false;
    } else {
      faults.push({ path: `${path}[${index}]`, message: `want a string, got ${typeName(item)}` });
      same = false;
    }
  });
  return same && count === raw.length ? (raw as string[]) : strings;
}

/** Whether `list` is a plain array: one a reader may keep as it is (when it has no holes). */
function isPlainList(list: readonly unknown[]): boolean {
  return Object.getPrototypeOf(list) === Array.prototype;
}

/** An object with its values read by `read`, without a prototype: lookups find own keys only. */
function readMap(
  raw: unknown,
  path: string,
  faults: PolicyFault[],
  read: (value: unknown, path: string) => unknown,
): Record<string, unknown> | undefined {
  if (!isRecord(raw)) {
    faults.push({ path, message: `want an object, got ${typeName(raw)}` });
    return undefined;
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    const item = read(value, `${path}.${key}`);
    if (item !== undefined) out[key] = item;
  }
  return out;
}

/** kb/1337 "autogroups": `autogroup:members` is the former name of `autogroup:member`. */
const LEGACY_MEMBERS = 'autogroup:members';

function currentSelector(selector: string): string {
  if (selector === LEGACY_MEMBERS || selector.startsWith(`${LEGACY_MEMBERS}:`))
    return `autogroup:member${selector.slice(LEGACY_MEMBERS.length)}`;
  return selector;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(typeof value === 'number' || typeof value === 'boolean' ? value : typeof value);
}
