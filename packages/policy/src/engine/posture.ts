import type { PolicyDocument } from '../document';
import type { Parsed } from './ports';
import type { Topology } from './topology';
import type { PolicyFault } from './fault';

/** A device posture attribute value: the control plane stores strings, numbers and booleans. */
export type PostureValue = string | number | boolean;

/** Posture attributes by key (`node:os`, `node:tsVersion`, `custom:tier`, `ip:country`, …). */
export type PostureAttributes = Readonly<Record<string, PostureValue>>;

/** The operators a posture condition may use. */
export const POSTURE_OPERATORS = [
  '==',
  '!=',
  'IN',
  'NOT IN',
  '<',
  '<=',
  '>',
  '>=',
  'IS SET',
  'NOT SET',
] as const;

/** A posture condition operator. */
export type PostureOperator = (typeof POSTURE_OPERATORS)[number];

/** One parsed condition of a posture, such as `node:tsVersion >= '1.60'`. */
export interface PostureCondition {
  readonly attribute: string;
  readonly operator: PostureOperator;
  /** The operand: one value, the list of `IN` / `NOT IN`, none for `IS SET` / `NOT SET`. */
  readonly values: readonly PostureValue[];
}

/** Attributes holding versions: ordered with Tailscale's version comparison, not as text. */
const VERSION_ATTRIBUTES: ReadonlySet<string> = new Set(['node:osVersion', 'node:tsVersion']);

/** A posture attribute key: a namespace (`node`, `custom`, `ip`, an integration's) and a name. */
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9]*:[A-Za-z0-9_.-]+$/;

/** Whether `key` has the shape of a posture attribute key. */
function isPostureAttribute(key: string): boolean {
  return ATTRIBUTE.test(key);
}

const ORDERING: ReadonlySet<PostureOperator> = new Set(['<', '<=', '>', '>=']);

function parseLiteral(text: string): PostureValue | undefined {
  const quoted = /^'([^']*)'$/.exec(text) ?? /^"([^"]*)"$/.exec(text);
  if (quoted) return quoted[1] ?? '';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}

function parseList(text: string): readonly PostureValue[] | undefined {
  const inner = /^\[(.*)\]$/s.exec(text)?.[1]?.trim();
  if (inner === undefined) return undefined;
  if (inner === '') return [];
  const values = inner.split(',').map((item) => parseLiteral(item.trim()));
  return values.every((value) => value !== undefined) ? (values as PostureValue[]) : undefined;
}

/**
 * Parses a posture condition: `<attribute> <operator> <value>`, with `'text'`, numbers and
 * `true`/`false` as values, a `[...]` list after `IN` / `NOT IN`, none after `IS SET` / `NOT SET`.
 * A bare attribute (`node:tsAutoUpdate`) asserts that it is `true`, as Tailscale's default policy
 * writes it. `<`, `<=`, `>`, `>=` compare numbers, or versions for `node:osVersion` and
 * `node:tsVersion`.
 */
export function parsePostureCondition(text: string): Parsed<PostureCondition> {
  const fail = (why: string): Parsed<PostureCondition> => ({
    ok: false,
    error: `posture condition ${JSON.stringify(text)}: ${why}`,
  });
  const head = /^\s*(\S+)\s*(.*?)\s*$/s.exec(text);
  const attribute = head?.[1] ?? '';
  if (!isPostureAttribute(attribute)) return fail(`invalid attribute ${JSON.stringify(attribute)}`);
  const rest = head?.[2] ?? '';
  if (rest === '') return { ok: true, value: { attribute, operator: '==', values: [true] } };
  const match = /^(NOT\s+IN|NOT\s+SET|IS\s+SET|IN|==|!=|<=|>=|<|>)(?=\s|\[|'|"|$)\s*(.*)$/is.exec(rest);
  if (!match) return fail(`unknown operator in ${JSON.stringify(rest)}`);
  const operator = (match[1] ?? '').toUpperCase().replace(/\s+/, ' ') as PostureOperator;
  const operand = match[2] ?? '';
  if (operator === 'IS SET' || operator === 'NOT SET') {
    return operand === ''
      ? { ok: true, value: { attribute, operator, values: [] } }
      : fail(`${operator} takes no value`);
  }
  if (operator === 'IN' || operator === 'NOT IN') {
    const values = parseList(operand);
    if (values === undefined || values.length === 0)
      return fail(`${operator} needs a list of values, such as ['a', 'b']`);
    return { ok: true, value: { attribute, operator, values } };
  }
  const value = parseLiteral(operand);
  if (value === undefined) return fail(`invalid value ${JSON.stringify(operand)}`);
  if (ORDERING.has(operator) && typeof value !== 'number' && !VERSION_ATTRIBUTES.has(attribute)) {
    return fail(`${operator} compares only numbers and versions (node:osVersion, node:tsVersion)`);
  }
  if (ORDERING.has(operator) && typeof value === 'boolean')
    return fail(`${operator} cannot compare a boolean`);
  return { ok: true, value: { attribute, operator, values: [value] } };
}

/**
 * Compares two versions as Tailscale does (`util/cmpver`): alternating runs of non-digits,
 * compared as text, and digits, compared as numbers; a missing run is empty text or zero.
 * So `1.60.0` is above `1.60`, and `1.9` below `1.10`.
 *
 * @returns negative, zero or positive as `a` is below, equal to or above `b`
 */
export function compareVersions(a: string, b: string): number {
  const runs = (text: string): string[] => text.match(/\D+|\d+/g) ?? [];
  // Normalise both to alternate non-digit, digit runs, starting with a (possibly empty) non-digit run.
  const fields = (text: string): string[] => {
    const out: string[] = [];
    for (const run of runs(text)) {
      const digit = /\d/.test(run);
      if (digit === (out.length % 2 === 0)) out.push('');
      out.push(run);
    }
    return out;
  };
  const left = fields(a);
  const right = fields(b);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const x = left[index] ?? '';
    const y = right[index] ?? '';
    if (index % 2 === 0) {
      if (x !== y) return x < y ? -1 : 1;
    } else {
      const difference = BigInt(x === '' ? '0' : x) - BigInt(y === '' ? '0' : y);
      if (difference !== 0n) return difference < 0n ? -1 : 1;
    }
  }
  return 0;
}

/** Compares an attribute's value with an operand; `undefined` when they cannot be compared. */
function compare(attribute: string, actual: PostureValue, operand: PostureValue): number | undefined {
  if (typeof actual !== typeof operand) return undefined;
  if (typeof actual === 'string' && typeof operand === 'string') {
    if (VERSION_ATTRIBUTES.has(attribute)) return compareVersions(actual, operand);
    return actual === operand ? 0 : actual < operand ? -1 : 1;
  }
  if (typeof actual === 'number' && typeof operand === 'number') return Math.sign(actual - operand);
  return actual === operand ? 0 : undefined;
}

/**
 * Whether a device with `attributes` meets the condition. An attribute the device lacks fails every
 * condition but `NOT SET`, whatever the operator: `custom:tier != 'prod'` does not hold for a
 * device without `custom:tier`.
 */
export function conditionHolds(condition: PostureCondition, attributes: PostureAttributes): boolean {
  const actual = attributes[condition.attribute];
  if (condition.operator === 'NOT SET') return actual === undefined;
  if (actual === undefined) return false;
  if (condition.operator === 'IS SET') return true;
  const equal = (operand: PostureValue): boolean => compare(condition.attribute, actual, operand) === 0;
  const order = compare(condition.attribute, actual, condition.values[0] ?? '');
  switch (condition.operator) {
    case '==':
      return equal(condition.values[0] ?? '');
    case '!=':
      return !equal(condition.values[0] ?? '');
    case 'IN':
      return condition.values.some(equal);
    case 'NOT IN':
      return !condition.values.some(equal);
    case '<':
      return order !== undefined && order < 0;
    case '<=':
      return order !== undefined && order <= 0;
    case '>':
      return order !== undefined && order > 0;
    case '>=':
      return order !== undefined && order >= 0;
  }
}

/** The postures a rule requires: its own `srcPosture`, else the policy's `defaultSrcPosture`. */
export function effectivePostures(
  policy: PolicyDocument,
  srcPosture: readonly string[] | undefined,
): readonly string[] {
  return srcPosture !== undefined && srcPosture.length > 0 ? srcPosture : (policy.defaultSrcPosture ?? []);
}

/**
 * The topology with every device given `attributes` in place of its own: what a source with them
 * may reach, as a policy test with `srcPostureAttrs` asks.
 */
export function withPostureAttributes(topology: Topology, attributes: PostureAttributes): Topology {
  const nodes = Object.fromEntries(
    Object.entries(topology.nodes).map(([name, node]) => [name, { ...node, posture: attributes }]),
  );
  return { ...topology, nodes };
}

/** Whether any rule of the policy requires a posture (its own `srcPosture`, or `defaultSrcPosture`). */
export function usesPostures(policy: PolicyDocument): boolean {
  return [...(policy.acls ?? []), ...(policy.grants ?? [])].some(
    (rule) => effectivePostures(policy, rule.srcPosture).length > 0,
  );
}

/** The first condition of posture `name` a device with `attributes` fails, as text; `undefined` when it meets it. */
export function postureShortfall(
  policy: PolicyDocument,
  name: string,
  attributes: PostureAttributes,
): string | undefined {
  const conditions = policy.postures?.[name];
  if (conditions === undefined) return `${name} is not defined`;
  for (const text of conditions) {
    const parsed = parsePostureCondition(text);
    if (!parsed.ok) return parsed.error;
    if (!conditionHolds(parsed.value, attributes)) {
      const actual = attributes[parsed.value.attribute];
      return `${JSON.stringify(text)} fails (${parsed.value.attribute} is ${actual === undefined ? 'unset' : JSON.stringify(actual)})`;
    }
  }
  return undefined;
}

/**
 * Whether a device with `attributes` is admitted by a rule requiring `postures`: no posture admits
 * every device; otherwise the device must meet every condition of at least one of them.
 */
export function meetsPostures(
  policy: PolicyDocument,
  postures: readonly string[],
  attributes: PostureAttributes,
): boolean {
  return (
    postures.length === 0 || postures.some((name) => postureShortfall(policy, name, attributes) === undefined)
  );
}

/**
 * The faults of the posture parts of a policy: `postures` names and conditions, `srcPosture` and
 * `defaultSrcPosture` references to undefined postures, and `tests[].srcPostureAttrs` entries.
 */
export function postureFaults(policy: PolicyDocument): PolicyFault[] {
  const faults: PolicyFault[] = [];
  for (const [name, conditions] of Object.entries(policy.postures ?? {})) {
    const path = `postures.${name}`;
    if (!/^posture:[A-Za-z0-9_-]+$/.test(name))
      faults.push({
        path,
        message: `invalid posture name ${JSON.stringify(name)}: must be "posture:" and a name`,
      });
    conditions.forEach((condition, index) => {
      const parsed =
        typeof condition === 'string'
          ? parsePostureCondition(condition)
          : { ok: false as const, error: `posture condition ${JSON.stringify(condition)} must be a string` };
      if (!parsed.ok) faults.push({ path: `${path}[${index}]`, message: parsed.error });
    });
  }
  const reference = (path: string, names: readonly string[] | undefined): void =>
    names?.forEach((name, index) => {
      if (policy.postures?.[name] === undefined)
        faults.push({ path: `${path}[${index}]`, message: `posture not found: ${JSON.stringify(name)}` });
    });
  reference('defaultSrcPosture', policy.defaultSrcPosture);
  policy.acls?.forEach((acl, index) => reference(`acls[${index}].srcPosture`, acl.srcPosture));
  policy.grants?.forEach((grant, index) => reference(`grants[${index}].srcPosture`, grant.srcPosture));
  policy.tests?.forEach((test, index) => {
    for (const [key, value] of Object.entries(test.srcPostureAttrs ?? {})) {
      const path = `tests[${index}].srcPostureAttrs.${key}`;
      if (!isPostureAttribute(key))
        faults.push({ path, message: `invalid posture attribute ${JSON.stringify(key)}` });
      else if (!['string', 'number', 'boolean'].includes(typeof value))
        faults.push({ path, message: `posture attribute ${key} must be a string, number or boolean` });
    }
  });
  return faults;
}
