import {
  ApiObject,
  App,
  ImplicitTokenResolver,
  LazyResolver,
  NumberStringUnionResolver,
  resolve,
  type IResolver,
} from 'cdk8s';

/**
 * What the fast read takes from cdk8s's `ApiObject` beyond its public API: the props it was given
 * and its JSON patches (both private fields of cdk8s 2). In a cdk8s without them, the read falls
 * back to `toJson()`.
 */
interface ApiObjectInternals {
  readonly props?: { readonly spec?: unknown };
  readonly patches?: readonly unknown[];
}

/** A value `toJson()` cannot render as plain data: the read then leaves it to `toJson()`. */
const UNRENDERABLE = Symbol('unrenderable');

/**
 * The `spec` of `apiObject` as its `toJson()` renders it (up to key order), without rendering the
 * rest. `toJson()` resolves, sorts and deep-copies the whole object, metadata included: about
 * 55 µs for a small Service, the largest cost of exposing one. For a plain `ApiObject` without JSON
 * patches, in an app with cdk8s's own resolvers, this resolves the spec alone as `toJson()` does
 * (lazy values included), and leaves out null values as cdk8s's sanitizer does. A generated class
 * (`KubeService`, cdk8s-plus's `apiObject`) converts its props in its own `toJson()`, a patch may
 * change the spec and an app's own resolver may act on the whole object: those, and anything that
 * is not plain data, are read from `toJson()`.
 */
export function renderedSpec(apiObject: ApiObject): unknown {
  const { props, patches } = apiObject as unknown as ApiObjectInternals;
  if (
    apiObject.toJson === ApiObject.prototype.toJson &&
    props !== undefined &&
    patches?.length === 0 &&
    App.of(apiObject).resolvers.every(isBuiltIn)
  ) {
    const spec = sanitized(resolve(['spec'], props.spec, apiObject));
    if (spec !== UNRENDERABLE) return spec;
  }
  return (apiObject.toJson() as { spec?: unknown }).spec;
}

function isBuiltIn(resolver: IResolver): boolean {
  return (
    resolver instanceof LazyResolver ||
    resolver instanceof ImplicitTokenResolver ||
    resolver instanceof NumberStringUnionResolver
  );
}

/**
 * `value` without null or undefined object values, as cdk8s's `sanitizeValue` renders it, or
 * {@link UNRENDERABLE} for an object that is not plain, which `toJson()` refuses with its message.
 */
function sanitized(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map(sanitized);
    return items.includes(UNRENDERABLE) ? UNRENDERABLE : items;
  }
  if (value.constructor?.name !== 'Object') return UNRENDERABLE;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const rendered = sanitized(item);
    if (rendered === UNRENDERABLE) return UNRENDERABLE;
    if (rendered !== undefined) result[key] = rendered;
  }
  return result;
}
