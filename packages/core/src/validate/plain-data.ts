import { checkShape, isPlainObject, type Shape } from './shape';

/**
 * `props` checked against `shape`, and kept as a {@link plainCopy}: a construct reads its props
 * when it is created, so what the caller changes in them afterwards (one object reused for the next
 * construct, an array pushed to) changes nothing it renders, registers or hands to Pulumi later.
 */
export function checkedProps<T>(path: string, props: T, shape: Shape): T {
  checkShape(path, props, shape);
  return plainCopy(props);
}

/**
 * `value` as plain data that serializers take: `value` itself when it is (every plain object, see
 * {@link isPlainObject}, has `Object.prototype` as prototype, every array is dense), else its
 * {@link plainCopy}. A renderer's output is fresh and almost always plain: the check only reads,
 * where copying every object wrapped took a quarter of an Ingress's construction.
 */
export function plainData<T>(value: T): T {
  return isPlainData(value) ? value : plainCopy(value);
}

/** Whether {@link plainCopy} would return a copy equal to `value`, of the same prototypes. */
function isPlainData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let index = 0; index < value.length; index++) {
      if (!(index in value) || !isPlainData(value[index])) return false;
    }
    return true;
  }
  // Another prototype: a map to copy, or a value kept as it is (a class instance).
  if (Object.getPrototypeOf(value) !== Object.prototype) return !isPlainObject(value);
  for (const key of Object.keys(value)) {
    if (!isPlainData((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * A deep copy of data in which every plain object (see {@link isPlainObject}) has
 * `Object.prototype` as prototype and only its own keys, and every array is dense: maps a caller
 * built with `Object.create(null)` become objects that serializers reading `value.constructor`
 * (cdk8s) take. Other values (scalars, class instances such as constructs and Pulumi outputs) are
 * kept as they are.
 */
export function plainCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (let index = 0; index < value.length; index++) items.push(plainCopy(value[index]));
    return items as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && !isPlainObject(value)) return value;
  // A spread takes the own keys (an own `__proto__` stays an own key) into an object literal, much
  // faster than assigning key by key; the assignments below replace values of keys it already has.
  const copy = { ...value } as Record<string, unknown>;
  for (const key of Object.keys(copy)) {
    const item = copy[key];
    if (typeof item === 'object' && item !== null) copy[key] = plainCopy(item);
  }
  return copy as T;
}
