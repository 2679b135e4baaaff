import type { Violation } from './rules';

/**
 * The Kubernetes types tailkube passes through as the user wrote them (affinity, security contexts,
 * tolerations, resources), checked against the `core/v1` schema of kubernetes-models 4.5.1
 * (Kubernetes 1.33's OpenAPI, compiled ahead of time into one ajv function per type, so nothing is
 * compiled at synth). Formats are checked as the API server reads them: quantities
 * (apimachinery `pkg/api/resource/quantity.go`), int64/int32, enums and required fields. The
 * published schema leaves its objects open, but the API server (and the operator's CRDs, which
 * embed these types) refuse a field Kubernetes does not define: a field the validator never reads
 * is such a field (see {@link unknownField}).
 */
/** A pass-through Kubernetes type tailkube checks. */
export type KubeSchemaType =
  | 'Affinity'
  | 'PodDNSConfig'
  | 'PodSecurityContext'
  | 'ResourceRequirements'
  | 'SecurityContext'
  | 'Toleration'
  | 'TopologySpreadConstraint';

/** A kubernetes-models class: built from plain data, `validate()` throws ajv's errors. */
type Model = new (data: never) => { validate(): void };

let models: Readonly<Record<KubeSchemaType, Model>> | undefined;

/**
 * The validators, loaded on first use: kubernetes-models brings ajv's runtime and formats (about
 * 120 ms to load), which a program that sets no pass-through field never pays.
 */
function modelOf(type: KubeSchemaType): Model {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded lazily, see above; static names for bundlers */
  models ??= {
    Affinity: (require('kubernetes-models/v1/Affinity') as { Affinity: Model }).Affinity,
    PodDNSConfig: (require('kubernetes-models/v1/PodDNSConfig') as { PodDNSConfig: Model }).PodDNSConfig,
    PodSecurityContext: (require('kubernetes-models/v1/PodSecurityContext') as { PodSecurityContext: Model })
      .PodSecurityContext,
    ResourceRequirements: (
      require('kubernetes-models/v1/ResourceRequirements') as { ResourceRequirements: Model }
    ).ResourceRequirements,
    SecurityContext: (require('kubernetes-models/v1/SecurityContext') as { SecurityContext: Model })
      .SecurityContext,
    Toleration: (require('kubernetes-models/v1/Toleration') as { Toleration: Model }).Toleration,
    TopologySpreadConstraint: (
      require('kubernetes-models/v1/TopologySpreadConstraint') as { TopologySpreadConstraint: Model }
    ).TopologySpreadConstraint,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return models[type];
}

/** One error of a compiled ajv validator, as kubernetes-models throws them. */
interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: {
    readonly type?: string;
    readonly format?: string;
    readonly allowedValues?: readonly unknown[];
    readonly missingProperty?: string;
    readonly limit?: number;
  };
  readonly message?: string;
}

/** What a quantity looks like, in the words of `kubectl explain`. */
const QUANTITY = 'a Kubernetes quantity such as "100m", "0.5", "2" or "128Mi"';
/** Words for JSON schema types. */
const TYPES: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/**
 * The first place `value` breaks the Kubernetes schema of `type`, as a {@link Violation} on `field`
 * (`statefulSet.pod.tolerations[0]` gives `statefulSet.pod.tolerations[0].tolerationSeconds`).
 */
export function checkKubeSchema(type: KubeSchemaType, value: unknown, field: string): Violation | undefined {
  if (value === undefined) return undefined;
  const errors = schemaErrors(type, value);
  return errors === undefined ? undefined : describe(errors, value, field, type);
}

/** {@link checkKubeSchema} on every item of a list field. */
export function checkKubeSchemaEach(
  type: KubeSchemaType,
  items: readonly unknown[] | undefined,
  field: string,
): Violation | undefined {
  if (items === undefined) return undefined;
  if (!Array.isArray(items)) return { field, value: items, allowed: `a list of ${type} objects` };
  for (const [index, item] of items.entries()) {
    const bad = checkKubeSchema(type, item, `${field}[${index}]`);
    if (bad) return bad;
  }
  return undefined;
}

function schemaErrors(type: KubeSchemaType, value: unknown): readonly SchemaError[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ instancePath: '', keyword: 'type', params: { type: 'object' } }];
  }
  const reads = new Map<object, Set<string> | 'map'>();
  try {
    // The compiled validator reads every field its schema declares on each object (`data.x`), and
    // enumerates only a map's keys: what it read is what Kubernetes defines there.
    modelOf(type).prototype.validate.call(readTracked(value, reads, new WeakMap()));
    const unknown = unknownField(value, reads, []);
    return unknown && [unknown];
  } catch (error) {
    // kubernetes-models throws ajv's ValidationError, whose `errors` say where and why.
    const errors = (error as { readonly errors?: readonly SchemaError[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) return errors;
    throw error;
  }
}

/** `value` behind a proxy that records, per object, the keys read or that its keys were listed. */
function readTracked(
  value: object,
  reads: Map<object, Set<string> | 'map'>,
  proxies: WeakMap<object, object>,
): object {
  const known = proxies.get(value);
  if (known) return known;
  const proxy = new Proxy(value, {
    get(target, key) {
      const read = reads.get(target) ?? new Set<string>();
      if (read !== 'map' && typeof key === 'string') reads.set(target, read.add(key));
      const child: unknown = Reflect.get(target, key);
      return typeof child === 'object' && child !== null ? readTracked(child, reads, proxies) : child;
    },
    ownKeys(target) {
      reads.set(target, 'map');
      return Reflect.ownKeys(target);
    },
  });
  proxies.set(value, proxy);
  return proxy;
}

/** The first own key of an object in `value` the validator never read, as a schema error. */
function unknownField(
  value: unknown,
  reads: ReadonlyMap<object, Set<string> | 'map'>,
  at: readonly string[],
): SchemaError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const read = reads.get(value);
  if (read === undefined) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (read !== 'map' && !Array.isArray(value) && !read.has(key)) {
      const fields = [...read].filter((k) => !k.startsWith('$') && k !== 'toJSON' && k !== 'length').sort();
      return {
        instancePath: [...at, key].map((k) => `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''),
        keyword: 'additionalProperties',
        params: {},
        message: `a field Kubernetes defines here: ${fields.join(', ')}`,
      };
    }
    const inner = unknownField(child, reads, [...at, key]);
    if (inner) return inner;
  }
  return undefined;
}

/** The first error's place, with every error ajv reported there read together (a `oneOf`'s branches). */
function describe(errors: readonly SchemaError[], root: unknown, field: string, type: string): Violation {
  const first = errors[0]!;
  const here = errors.filter((e) => e.instancePath === first.instancePath);
  const steps = first.instancePath.split('/').slice(1).map(unescapePointer);
  const { path, value } = walk(root, steps, field);
  const missing = here.find((e) => e.keyword === 'required')?.params.missingProperty;
  if (missing !== undefined) {
    return {
      field: `${path}${step(missing)}`,
      value: undefined,
      allowed: `set: the Kubernetes ${steps.length === 0 ? type : 'schema'} requires it`,
    };
  }
  return { field: path, value, allowed: allowedHere(here) };
}

function allowedHere(here: readonly SchemaError[]): string {
  const unknown = here.find((e) => e.keyword === 'additionalProperties');
  if (unknown?.message !== undefined) return unknown.message;
  const format = here.find((e) => e.keyword === 'format')?.params.format;
  if (format === 'quantity') return QUANTITY;
  const values = here.find((e) => e.keyword === 'enum')?.params.allowedValues;
  if (values) return `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  const types = here
    .filter((e) => e.keyword === 'type')
    .map((e) => TYPES[e.params.type ?? ''] ?? e.params.type);
  if (types.length > 0) {
    const range = format === 'int32' ? ' (32-bit)' : format === 'int64' ? ' (64-bit)' : '';
    return `${[...new Set(types)].join(' or ')}${range}`;
  }
  if (format !== undefined) return `a value of format ${JSON.stringify(format)}`;
  const limit = here.find((e) => e.params.limit !== undefined);
  if (limit) return `a value that ${limit.message ?? `meets the schema's ${limit.keyword}`}`;
  return `a value the Kubernetes schema accepts (${here[0]?.message ?? here[0]?.keyword})`;
}

/** The field name and value at a JSON pointer's steps, in the user's words (`a[0].b["x/y"]`). */
function walk(root: unknown, steps: readonly string[], field: string): { path: string; value: unknown } {
  let path = field;
  let value = root;
  for (const key of steps) {
    if (Array.isArray(value)) {
      path += `[${key}]`;
      value = value[Number(key)];
    } else {
      path += step(key);
      value =
        typeof value === 'object' && value !== null && Object.hasOwn(value, key)
          ? (value as Record<string, unknown>)[key]
          : undefined;
    }
  }
  return { path, value };
}

function step(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A pass-through field of a construct's props and the Kubernetes type it holds. */
export interface KubeField {
  /** The field as the user wrote it, such as `statefulSet.pod.affinity`. */
  readonly field: string;
  /** Its Kubernetes type. */
  readonly type: KubeSchemaType;
  /** Its value. */
  readonly value: unknown;
  /** Whether the field is a list of `type` (tolerations). */
  readonly list?: boolean;
}

/** The first violation of the Kubernetes schema among a construct's pass-through fields. */
export function checkKubeFields(fields: readonly KubeField[]): Violation | undefined {
  for (const { field, type, value, list } of fields) {
    const bad = list
      ? checkKubeSchemaEach(type, value as readonly unknown[] | undefined, field)
      : checkKubeSchema(type, value, field);
    if (bad) return bad;
  }
  return undefined;
}
