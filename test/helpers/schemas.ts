import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { celEnv, isCelError, parse, plan, type CelInput, type CelResult } from '@bufbuild/cel';
import Ajv, { type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as schedulingV1 from 'kubernetes-models/scheduling.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

/** `../shared` beside the repository, read at test time and never copied into the repository. */
export const SHARED_DIR = path.resolve(__dirname, '../../../shared');
/** The operator's reference data at the pinned release. */
export const OPERATOR_REFERENCE_DIR = path.join(SHARED_DIR, 'reference/tailscale-operator/v1.102.3');
/** Flux and Argo CD CRDs. */
export const GITOPS_REFERENCE_DIR = path.join(SHARED_DIR, 'reference/gitops');

/** A Kubernetes object as synthesized: plain JSON with `apiVersion` and `kind`. */
export interface KubeObjectLike {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: unknown;
  readonly [field: string]: unknown;
}

/**
 * Keywords Kubernetes adds to OpenAPI. Declared so ajv knows them; they carry no check ajv can run.
 * `x-kubernetes-validations` holds CEL rules, evaluated separately below with @bufbuild/cel.
 */
const KUBERNETES_KEYWORDS = [
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
] as const;

/** Core kinds, validated by kubernetes-models, by `apiVersion`. */
const CORE_MODELS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'networking.k8s.io/v1': networkingV1,
  'policy/v1': policyV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  'scheduling.k8s.io/v1': schedulingV1,
};

interface CoreModel {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: unknown): { validate(): void };
}

interface CrdVersion {
  readonly name: string;
  readonly served?: boolean;
  readonly schema?: { readonly openAPIV3Schema?: AnySchemaObject };
}

interface Crd {
  readonly kind: string;
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly CrdVersion[];
  };
}

let crdSchemas: Map<string, { readonly file: string; readonly schema: AnySchemaObject }> | undefined;
const compiled = new Map<string, ValidateFunction>();
const celRules = new Map<string, readonly CelRule[]>();
let ajv: Ajv | undefined;

/** The served versions' schemas of every reference CRD, by `apiVersion` and `kind`. */
function loadCrdSchemas(): Map<string, { readonly file: string; readonly schema: AnySchemaObject }> {
  if (crdSchemas) return crdSchemas;
  crdSchemas = new Map();
  const files = [
    ...fs
      .readdirSync(path.join(OPERATOR_REFERENCE_DIR, 'crds'))
      .map((f) => path.join(OPERATOR_REFERENCE_DIR, 'crds', f)),
    ...fs.readdirSync(GITOPS_REFERENCE_DIR).map((f) => path.join(GITOPS_REFERENCE_DIR, f)),
  ].filter((f) => f.endsWith('.yaml'));
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = doc.toJS() as Crd | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (!version.served || !schema) continue;
        crdSchemas.set(key(`${crd.spec.group}/${version.name}`, crd.spec.names.kind), { file, schema });
      }
    }
  }
  return crdSchemas;
}

function key(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

function getAjv(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // Kubernetes' `cidr` format: an IPv4 or IPv6 prefix, as Go's net.ParseCIDR reads it.
  ajv.addFormat('cidr', {
    type: 'string',
    validate: (value: string) => {
      const [address, bits, ...rest] = value.split('/');
      if (address === undefined || bits === undefined || rest.length > 0 || !/^\d{1,3}$/.test(bits)) {
        return false;
      }
      const family = net.isIP(address);
      return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
    },
  });
  for (const keyword of KUBERNETES_KEYWORDS) ajv.addKeyword({ keyword });
  return ajv;
}

/**
 * The schema as the API server applies it with strict field validation (`kubectl apply`'s
 * default): a field the schema does not declare is an error, except under
 * `x-kubernetes-preserve-unknown-fields` or `additionalProperties`. Without this, a misspelt
 * field would pass here and be pruned silently by the server.
 */
function strictFields(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictFields);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(schema)) {
    // `properties` maps field names to schemas: keep the names, make each schema strict.
    copy[field] =
      field === 'properties' && typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, strictFields(sub)]))
        : strictFields(value);
  }
  if (
    copy['properties'] !== undefined &&
    copy['additionalProperties'] === undefined &&
    copy['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    copy['additionalProperties'] = false;
  }
  return copy;
}

function crdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  const id = key(apiVersion, kind);
  const cached = compiled.get(id);
  if (cached) return cached;
  const crd = loadCrdSchemas().get(id);
  if (!crd) return undefined;
  const validate = getAjv().compile(strictFields(crd.schema) as AnySchemaObject);
  compiled.set(id, validate);
  return validate;
}

/** One `x-kubernetes-validations` rule and where in the schema it applies. */
interface CelRule {
  /** Steps from the object's root: a property name, `[]` for each list item, `{}` for each map value. */
  readonly at: readonly string[];
  readonly rule: string;
  readonly message: string;
  readonly evaluate: (self: CelInput) => CelResult;
}

const CEL_ENV = celEnv();

/**
 * Every CEL rule of a schema, compiled once. Transition rules (those naming `oldSelf`) are skipped:
 * the API server runs them only on an update, against the stored object, which a synthesized
 * object does not have.
 */
function collectCelRules(schema: unknown, at: readonly string[] = []): CelRule[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const rules: CelRule[] = [];
  const validations = (node['x-kubernetes-validations'] ?? []) as readonly {
    readonly rule: string;
    readonly message?: string;
  }[];
  for (const { rule, message } of validations) {
    if (/\boldSelf\b/.test(rule)) continue;
    const run = plan(CEL_ENV, parse(rule));
    rules.push({ at, rule, message: message ?? `failed rule: ${rule}`, evaluate: (self) => run({ self }) });
  }
  for (const [name, sub] of Object.entries((node['properties'] ?? {}) as Record<string, unknown>)) {
    rules.push(...collectCelRules(sub, [...at, name]));
  }
  if (node['items'] !== undefined) rules.push(...collectCelRules(node['items'], [...at, '[]']));
  if (typeof node['additionalProperties'] === 'object') {
    rules.push(...collectCelRules(node['additionalProperties'], [...at, '{}']));
  }
  return rules;
}

/** JSON as CEL sees it: objects are maps, whole numbers are `int` (the schemas' `integer`). */
function toCel(value: unknown): CelInput {
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'object' && value !== null) {
    return new Map(Object.entries(value).map(([field, sub]) => [field, toCel(sub)]));
  }
  return value as CelInput;
}

/** The values a rule applies to, with their paths: every match of `at`, absent fields skipped. */
function valuesAt(value: unknown, at: readonly string[], path = ''): { value: unknown; path: string }[] {
  if (value === undefined || value === null) return [];
  const [step, ...rest] = at;
  if (step === undefined) return [{ value, path: path || '/' }];
  if (step === '[]') {
    return Array.isArray(value) ? value.flatMap((item, i) => valuesAt(item, rest, `${path}/${i}`)) : [];
  }
  if (typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (step === '{}') return Object.entries(record).flatMap(([k, v]) => valuesAt(v, rest, `${path}/${k}`));
  return valuesAt(record[step], rest, `${path}/${step}`);
}

/** The CEL rules of a CRD's served version, by `apiVersion` and `kind`; empty for core kinds. */
function crdCelRules(apiVersion: string, kind: string): readonly CelRule[] {
  const id = key(apiVersion, kind);
  let rules = celRules.get(id);
  if (rules === undefined) {
    const crd = loadCrdSchemas().get(id);
    rules = crd ? collectCelRules(crd.schema) : [];
    celRules.set(id, rules);
  }
  return rules;
}

/** The messages of the CEL rules `obj` breaks (a rule that errors counts as broken). */
function celViolations(obj: KubeObjectLike, apiVersion: string, kind: string): string[] {
  const violations: string[] = [];
  for (const rule of crdCelRules(apiVersion, kind)) {
    for (const { value, path } of valuesAt(obj, rule.at)) {
      const result = rule.evaluate(toCel(value));
      if (result === true) continue;
      const why = isCelError(result) ? ` (${result.message})` : '';
      violations.push(`${path} ${rule.message}${why}`);
    }
  }
  return violations;
}

function describe(obj: KubeObjectLike): string {
  const metadata = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const where = metadata.namespace === undefined ? '' : `${String(metadata.namespace)}/`;
  return `${String(obj.apiVersion)} ${String(obj.kind)} '${where}${String(metadata.name)}'`;
}

function formatAjvError(error: ErrorObject): string {
  const params =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})`
      : error.keyword === 'enum'
        ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
        : '';
  return `${error.instancePath || '/'} ${error.message ?? error.keyword}${params}`;
}

/**
 * Validates one Kubernetes object: a custom resource against the served version's
 * `openAPIV3Schema` of its CRD (the operator's, Flux's or Argo CD's reference CRDs) and its CEL
 * rules (`x-kubernetes-validations`, run with @bufbuild/cel; transition rules with `oldSelf` are
 * skipped, as on a create), a core kind with kubernetes-models 4.5.1. Returns the errors, each
 * prefixed with the object; an unknown kind is an error.
 */
export function validateKubeObject(obj: KubeObjectLike): string[] {
  const what = describe(obj);
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return [`${what}: \`apiVersion\` and \`kind\` must be strings`];
  }
  const validate = crdValidator(obj.apiVersion, obj.kind);
  if (validate) {
    // CEL rules assume the schema holds (the API server runs them only on a valid object).
    if (!validate(obj)) return (validate.errors ?? []).map((e) => `${what}: ${formatAjvError(e)}`);
    return celViolations(obj, obj.apiVersion, obj.kind).map((violation) => `${what}: ${violation}`);
  }
  const model = CORE_MODELS[obj.apiVersion]?.[obj.kind] as CoreModel | undefined;
  if (typeof model === 'function' && model.kind === obj.kind && model.apiVersion === obj.apiVersion) {
    try {
      new model(obj).validate();
      return [];
    } catch (error) {
      return [`${what}: ${error instanceof Error ? error.message : String(error)}`];
    }
  }
  return [
    `${what}: no schema known for this kind (neither a reference CRD nor a kubernetes-models core kind)`,
  ];
}

/** Asserts every object is valid; the failure lists every error of every object. */
export function expectValidKubeObjects(objs: readonly KubeObjectLike[]): void {
  expect(objs.length).toBeGreaterThan(0);
  expect(objs.flatMap(validateKubeObject)).toStrictEqual([]);
}
