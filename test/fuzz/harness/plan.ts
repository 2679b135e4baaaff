import { Ref } from '../arbitraries/shared';

/** The constructs the suite fuzzes, by their class name in both flavors. */
export const CONSTRUCTS = [
  'TailscaleOperator',
  'ProxyClass',
  'ProxyGroup',
  'ProxyGroupPolicy',
  'Connector',
  'TailscaleService',
  'TailscaleIngress',
  'FunnelIngress',
  'EgressService',
  'ApiServerProxy',
  'Recorder',
  'DNSConfig',
  'OperatorTailnet',
  'PeerRelay',
  'Tailnet',
] as const;

/** One of {@link CONSTRUCTS}. */
export type ConstructName = (typeof CONSTRUCTS)[number];

/** An intent verb call on the construct just created. */
export interface VerbCall {
  readonly principals: unknown;
  readonly options: unknown;
}

/** One construct of a program: its class, id (cdk8s) or name (Pulumi), props and verb calls. */
export interface Step {
  readonly construct: Exclude<ConstructName, 'Tailnet'>;
  readonly id: string;
  readonly props: unknown;
  readonly verbs: readonly VerbCall[];
  /** The namespace of the cdk8s chart holding it. */
  readonly chartNamespace?: string;
}

/** A whole program: the tailnet's props, then constructs in order. */
export interface Plan {
  readonly tailnet: unknown;
  readonly steps: readonly Step[];
}

/** A base policy that defines what the default plans name, and the choice about allow-all. */
export const DEFAULT_TAILNET = {
  allowAll: 'deny',
  basePolicy: '{"groups": {"group:eng": ["alice@example.com"]}}',
} as const;

/** The verb each construct offers, if any. */
export const VERBS: Partial<Record<ConstructName, 'allow' | 'grantAccess'>> = {
  Connector: 'allow',
  TailscaleService: 'allow',
  TailscaleIngress: 'allow',
  FunnelIngress: 'allow',
  ApiServerProxy: 'grantAccess',
  PeerRelay: 'allow',
};

/**
 * A copy of generated props with every {@link Ref} replaced by what `build` makes of it. Own keys
 * are copied as they are (an own `__proto__` stays an own key); values of other prototypes
 * (Symbols, Maps, functions, class instances) are passed as they are.
 */
export function resolveRefs(value: unknown, build: (ref: Ref) => unknown): unknown {
  if (value instanceof Ref) return build(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array<unknown>(value.length);
    for (const key of Object.keys(value)) copy[Number(key)] = resolveRefs(value[Number(key)], build);
    return copy;
  }
  if (typeof value !== 'object' || value === null) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const copy = Object.create(proto as object | null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    Object.defineProperty(copy, key, {
      value: resolveRefs((value as Record<string, unknown>)[key], build),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** What {@link changeLater} writes: no generated value holds it, so output holding it read it late. */
export const LATE_CHANGE = 'changed-after-creation';

/**
 * Changes every plain object and array of `value` in place, as a program that reuses one props
 * object for its next construct does: a key added to each object, an item to each array. Class
 * instances (the constructs and resources that refs built) are left alone.
 */
export function changeLater(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value) && proto === Array.prototype) {
    for (const item of [...value]) changeLater(item);
    value.push(LATE_CHANGE);
  } else if (proto === Object.prototype || proto === null) {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) changeLater(object[key]);
    Object.defineProperty(object, LATE_CHANGE, {
      value: LATE_CHANGE,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

/**
 * Calls the verbs of `step` on `construct` (just created from `props`), with their refs built by
 * `build`; then changes `props` and the verbs' arguments ({@link changeLater}).
 */
export function callVerbsThenChange(
  construct: Record<string, unknown>,
  step: Step,
  props: unknown,
  build: (ref: Ref) => unknown,
): void {
  const verb = VERBS[step.construct];
  const args = step.verbs.map((call) => [
    resolveRefs(call.principals, build),
    resolveRefs(call.options, build),
  ]);
  for (const [principals, options] of args) {
    (construct[verb!] as (p: unknown, o: unknown) => unknown)(principals, options);
  }
  changeLater([props, args]);
}

/** The `build` of {@link resolveRefs} for what holds no refs (a tailnet's props): a ref there throws. */
export function noRefs(ref: Ref): never {
  throw new Error(`a tailnet plan holds no refs, got one to a ${ref.kind}`);
}
