import { ValidationError, describeValue, holdsTailscaleKey, redactSecrets } from '@tailkube/policy';
import { constructPath, type Violation } from './rules';

/**
 * The JavaScript type a prop must have, checked before any rule reads it: a caller without a type
 * checker gets a {@link ValidationError} naming the field, never a raw `TypeError` from deep inside
 * a rule, and no value of the wrong type passes by coercion (`name: true`).
 */
export interface Shape {
  /** What is allowed, in words, for example `a list of strings`. */
  readonly allowed: string;
  /** Whether the field must be present. */
  readonly required?: boolean;
  /** The known keys of a closed object shape: every other key is an error. */
  readonly fields?: Readonly<Record<string, Shape>>;
  /** The shape of each item of a list, or each value of a map. */
  readonly item?: Shape;
  /** The first violation in `value`, reported under `field`. */
  check(value: unknown, field: string): Violation | undefined;
}

/**
 * Names no map key or construct id may take: `Object.prototype`'s own (`__proto__`,
 * `constructor`, `toString`...). Written as a plain property they change or shadow what every
 * object inherits, and `constructs` and cdk8s fail on them.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * A string, and never a Tailscale key: no prop holds a credential (they go in a Secret), and one
 * pasted into the wrong field would be written into the synthesized objects.
 */
export const string: Shape = {
  allowed: 'a string',
  check(value, field) {
    if (typeof value !== 'string') return { field, value, allowed: 'a string' };
    if (!holdsTailscaleKey(value)) return undefined;
    return {
      field,
      value,
      secret: true,
      allowed: 'anything but a Tailscale key',
      hint: 'a credential never goes in props: put it in a Kubernetes Secret and reference the Secret',
    };
  },
};

/**
 * A tailnet policy's HuJSON text, holding no credential: neither a Tailscale key nor a URL's
 * userinfo (`scheme://user:password@`). The policy is written out as it is (the program's output,
 * the report, the control plane), so a credential pasted into it would be echoed everywhere.
 */
export const policyText: Shape = {
  allowed: 'a HuJSON policy document as a string',
  check(value, field) {
    const violation = string.check(value, field);
    if (violation !== undefined || redactSecrets(value as string) === value) return violation;
    return {
      field,
      value,
      secret: true,
      allowed: 'a policy without credentials (no Tailscale key, no "user:password@" in a URL)',
      hint: 'a credential never goes in a policy: keep it in a Kubernetes Secret',
    };
  },
};

/** A finite number. */
export const number: Shape = typeCheck(
  'a number',
  (value) => typeof value === 'number' && Number.isFinite(value),
);

/** `true` or `false`. */
export const boolean: Shape = typeCheck('true or false', (value) => typeof value === 'boolean');

/** A plain JSON object passed through to Kubernetes as it is (such as `affinity`). */
export const json: Shape = typeCheck('an object', isPlainObject);

/** One of `values`. */
export function literal(...values: readonly (string | number | boolean)[]): Shape {
  return typeCheck(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (value) =>
    values.includes(value as string),
  );
}

/** `shape`, and the field must be present. */
export function required(shape: Shape): Shape {
  return { ...shape, required: true, check: (value, field) => shape.check(value, field) };
}

/** Any of `shapes`: the first that accepts the value. */
export function anyOf(...shapes: readonly Shape[]): Shape {
  const allowed = shapes.map((shape) => shape.allowed).join(', or ');
  return {
    allowed,
    check(value, field) {
      // The first shape that accepts the value ends the check: most values are of the first kind.
      const violations: (Violation | undefined)[] = [];
      for (const shape of shapes) {
        const violation = shape.check(value, field);
        if (violation === undefined) return undefined;
        violations.push(violation);
      }
      // A value of the right kind (an object for an object shape) gets that shape's own answer.
      const kindMatch = shapes.findIndex((shape) => shape.fields !== undefined && isObject(value));
      return violations[kindMatch] ?? { field, value, allowed };
    },
  };
}

/** A list whose every item has `item`'s shape. */
export function list(item: Shape): Shape {
  const allowed = `a list of ${plural(item.allowed)}`;
  return {
    allowed,
    item,
    check(value, field) {
      if (!Array.isArray(value)) return { field, value, allowed };
      for (let index = 0; index < value.length; index += 1) {
        const at = `${field}[${index}]`;
        const violation = guarded(at, () => item.check(value[index], at));
        if (violation) return violation;
      }
      return undefined;
    },
  };
}

/**
 * A map from names to values of `item`'s shape (labels, annotations, a node selector), read by
 * its own keys only; a key `Object.prototype` owns is refused.
 */
export function record(item: Shape): Shape {
  const allowed = `an object whose values are ${plural(item.allowed)}`;
  return {
    allowed,
    item,
    check(value, field) {
      if (!isPlainObject(value)) return { field, value, allowed };
      return guarded(field, () => {
        for (const key of Object.keys(value)) {
          const at = keyField(field, key);
          if (RESERVED_NAMES.has(key)) return reservedKey(at, key);
          const keyViolation = string.check(key, at);
          if (keyViolation) return keyViolation;
          const violation = item.check((value as Record<string, unknown>)[key], at);
          if (violation) return violation;
        }
        return undefined;
      });
    },
  };
}

/**
 * An object with exactly `fields`, each of its shape: a key it does not name is an error listing
 * the keys it does, so a misspelt or unsupported prop is never silently dropped.
 */
export function object(fields: Readonly<Record<string, Shape>>, allowed = 'an object'): Shape {
  const known = Object.keys(fields);
  const entries = Object.entries(fields);
  return {
    allowed,
    fields,
    check(value, field) {
      if (!isPlainObject(value)) return { field, value, allowed };
      return guarded(field, () => {
        for (const key of Object.keys(value)) {
          if (Object.prototype.hasOwnProperty.call(fields, key)) continue;
          return unknownKey(keyField(field, key), key, known);
        }
        return checkFields(field, entries, value, true);
      });
    },
  };
}

/**
 * Something the program made and passes on, such as a construct (`proxyClass`, `operator`): only
 * the members tailkube reads are checked, the rest of the object is its own.
 */
export function reference(what: string, fields: Readonly<Record<string, Shape>>): Shape {
  const entries = Object.entries(fields);
  return {
    allowed: what,
    check(value, field) {
      if (!isObject(value)) return { field, value, allowed: what };
      return guarded(field, () => checkFields(field, entries, value, false));
    },
  };
}

/**
 * Checks `value` against `shape`, throwing the first violation as a {@link ValidationError} for
 * `path`. `field` names the whole value in messages (`props` for a construct's props).
 */
export function checkShape(path: string, value: unknown, shape: Shape, field = 'props'): void {
  // Fields below the root are named as the user writes them (`tags`, not `props.tags`).
  const violation = guarded('', () => shape.check(value, ''));
  if (violation) throw new ValidationError({ path, ...violation, field: violation.field || field });
}

/**
 * How the construct `id` under the scope at `scopePath` is named in messages (`Kind 'chart/id'`),
 * after checking `id` is one `constructs`, cdk8s, Pulumi and object keys can hold: a non-empty
 * string that is not a name `Object.prototype` owns. `scopePath` is empty for a Pulumi resource.
 */
export function checkedConstructPath(kind: string, scopePath: string, id: unknown): string {
  if (typeof id !== 'string' || id === '') {
    // The path names where the construct was to go; the value (often props passed as the id) is
    // printed once, in the message.
    const path = constructPath(kind, scopePath ? `${scopePath}/<id>` : '<id>');
    throw new ValidationError({ path, field: 'id', value: id, allowed: 'a non-empty string' });
  }
  const path = constructPath(kind, scopePath ? `${scopePath}/${id}` : id);
  const shaped = string.check(id, 'id');
  if (shaped) throw new ValidationError({ path, ...shaped });
  if (RESERVED_NAMES.has(id)) {
    throw new ValidationError({
      path,
      field: 'id',
      value: id,
      allowed: 'a name other than the ones every JavaScript object inherits (`__proto__`, `constructor`...)',
    });
  }
  return path;
}

/**
 * The first violation among `entries` (a shape's fields, listed once when the shape is made) of
 * `value`: its own keys only, or also inherited members (`ownOnly` false, for a reference). Runs for
 * every prop of every construct, so a field's name is only built for a value that is present.
 */
function checkFields(
  field: string,
  entries: readonly (readonly [string, Shape])[],
  value: object,
  ownOnly: boolean,
): Violation | undefined {
  for (const [key, shape] of entries) {
    let item: unknown;
    try {
      item =
        ownOnly && !Object.prototype.hasOwnProperty.call(value, key)
          ? undefined
          : (value as Record<string, unknown>)[key];
    } catch (error) {
      return { field: keyField(field, key), value: unreadable(error), allowed: READABLE };
    }
    if (item === undefined) {
      if (shape.required) return { field: keyField(field, key), value: undefined, allowed: shape.allowed };
      continue;
    }
    const violation = shape.check(item, keyField(field, key));
    if (violation) return violation;
  }
  return undefined;
}

function typeCheck(allowed: string, test: (value: unknown) => boolean): Shape {
  return { allowed, check: (value, field) => (test(value) ? undefined : { field, value, allowed }) };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object a caller writes as data: an object literal, one made with `Object.create(null)`, or
 * one inheriting from such objects (read by its own keys). Not a `Map`, `Date`, `RegExp` or other
 * class instance, whose own keys say nothing of its content and which serializers refuse (cdk8s:
 * "can't render non-simple object").
 */
export function isPlainObject(value: unknown): value is object {
  if (!isObject(value)) return false;
  for (
    let proto: unknown = Object.getPrototypeOf(value);
    proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (proto === Object.prototype) return true;
    if (Object.prototype.hasOwnProperty.call(proto, 'constructor')) return false;
  }
  return true;
}

/** A field below `field`: `tags`, `pod.labels`, `labels["app.kubernetes.io/name"]`. */
function keyField(field: string, key: string): string {
  const plain = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
  if (field === '') return plain ? key : `[${JSON.stringify(key)}]`;
  return plain ? `${field}.${key}` : `${field}[${JSON.stringify(key)}]`;
}

function reservedKey(field: string, key: string): Violation {
  return {
    field,
    value: key,
    allowed: 'a key other than the names every JavaScript object inherits (`__proto__`, `constructor`...)',
  };
}

function unknownKey(field: string, key: string, known: readonly string[]): Violation {
  const near = known.find((candidate) => isNear(candidate, key));
  return {
    field,
    value: key,
    allowed: known.length > 0 ? `one of the known keys: ${known.join(', ')}` : 'no key at all',
    ...(near !== undefined && { hint: `did you mean \`${near}\`?` }),
  };
}

/** Whether `a` and `b` differ only in case or by one edit. */
function isNear(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x === y) return true;
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && x[i] === y[i]) i += 1;
  return x.slice(i + 1) === y.slice(i + 1) || x.slice(i) === y.slice(i + 1) || x.slice(i + 1) === y.slice(i);
}

/** A check that never throws: a getter, proxy trap or `toString` that throws becomes a violation. */
function guarded(field: string, check: () => Violation | undefined): Violation | undefined {
  try {
    return check();
  } catch (error) {
    return { field, value: unreadable(error), allowed: READABLE };
  }
}

const READABLE = 'a plain value that can be read';

function unreadable(error: unknown): string {
  return `a value whose reading threw ${describeValue(error instanceof Error ? error.message : error)}`;
}

function plural(allowed: string): string {
  return allowed.replace(/^an? /, '').replace(/^(string|number|object|list)\b/, '$1s');
}

/** Any value: the construct's own rule checks it, with a message fitted to the field. */
export const checkedByRule: Shape = { allowed: 'any value', check: () => undefined };

/**
 * `args` if it is an object a flavor can take apart (splitting off its own keys, such as Pulumi's
 * `tailnet`), else a {@link ValidationError} for `path`: destructuring `undefined` or `null` from a
 * JavaScript caller would throw a raw `TypeError` first.
 */
export function argsObject<T>(path: string, args: T): T {
  checkShape(path, args, json, 'args');
  return args;
}
