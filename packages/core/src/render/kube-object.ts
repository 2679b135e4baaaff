import { isPlainObject } from '../validate/shape';

/** A Kubernetes object as plain data, before a framework wraps it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: KubeMetadata;
  readonly [field: string]: unknown;
}

/** The metadata tailkube sets. */
export interface KubeMetadata {
  readonly name: string;
  /** Absent for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A copy of rendered data in which every plain object (see {@link isPlainObject}) has
 * `Object.prototype` as prototype and only its own keys, and every array is dense: maps a caller built with `Object.create(null)` are passed through to the
 * objects as they are, and serializers that read `value.constructor` (cdk8s) fail on them.
 * Scalars and other values are kept as they are.
 */
export function plainData<T>(value: T): T {
  if (Array.isArray(value)) return Array.from(value, (item: unknown) => plainData(item)) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = plainData((value as Record<string, unknown>)[key]);
    // Assigned, the one key `Object.prototype` intercepts would set the copy's prototype: it is
    // defined, so it stays an own key as in the input. Every other key is assigned (defining each
    // property costs four times as much, on every object tailkube renders).
    if (key === '__proto__') {
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    } else {
      copy[key] = item;
    }
  }
  return copy as T;
}

/**
 * `value` as {@link plainData}: `value` itself when it is plain data already (every plain object
 * has `Object.prototype` as prototype, every array is dense), else the copy. For a renderer's
 * output, fresh and almost always plain: the check only reads, where a copy of every object
 * wrapped cost as much as the rest of an Ingress's construction.
 */
export function asPlainData<T>(value: T): T {
  return isPlainData(value) ? value : plainData(value);
}

/** Whether {@link plainData} would return a copy equal to `value`, of the same prototypes. */
function isPlainData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let index = 0; index < value.length; index++) {
      if (!(index in value) || !isPlainData(value[index])) return false;
    }
    return true;
  }
  // Another prototype: a map to copy (see `isPlainObject`), or a value kept as it is.
  if (Object.getPrototypeOf(value) !== Object.prototype) return !isPlainObject(value);
  for (const key of Object.keys(value)) {
    if (!isPlainData((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** Labels tailkube puts on every object it renders. */
export const MANAGED_BY_LABELS = { 'app.kubernetes.io/managed-by': 'tailkube' } as const;

/** The API version of the operator's custom resources (Connector, ProxyClass, …). */
export const TAILSCALE_API_VERSION = 'tailscale.com/v1alpha1';
