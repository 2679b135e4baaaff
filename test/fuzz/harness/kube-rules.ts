import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { GITOPS_REFERENCE_DIR, OPERATOR_REFERENCE_DIR, type KubeObjectLike } from '../../helpers/schemas';

/**
 * What the API server checks beyond the OpenAPI schema (which `validateKubeObject` covers): object
 * names, label and annotation syntax, and the Service and Ingress rules of the core validation.
 * Only rules the API server applies on a create, from these sources at Kubernetes 1.33:
 * - k8s.io/apimachinery/pkg/api/validation/objectmeta.go (ValidateObjectMetaAccessor,
 *   ValidateAnnotations, totalAnnotationSizeLimitB = 256 KiB) and generic.go (NameIsDNSSubdomain);
 * - k8s.io/apimachinery/pkg/util/validation/validation.go (IsQualifiedName, IsValidLabelValue,
 *   IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label, IsValidPortNum, IsValidPortName);
 * - kubernetes pkg/apis/core/validation/validation.go (ValidateService: ports, names, protocols,
 *   targetPort, externalName, loadBalancerClass) and pkg/apis/networking/validation/validation.go
 *   (ValidateIngress: host, path, backend port, ingressClassName);
 * - apiextensions-apiserver pkg/registry/customresource/validator.go (custom resources' names are
 *   DNS subdomains).
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ANNOTATIONS_LIMIT = 256 * 1024;

function isDns1123Label(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

function isDns1123Subdomain(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

function isQualifiedName(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1]!;
  if (name.length > 63 || !QUALIFIED_NAME_PART.test(name)) return false;
  return parts.length === 1 || (parts[0]!.length > 0 && isDns1123Subdomain(parts[0]));
}

function isLabelValue(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

/** IsValidPortName: an IANA service name, at most 15 characters, with a letter, no `--`. */
function isPortName(value: string): boolean {
  return value.length <= 15 && IANA_SVC_NAME.test(value) && /[a-z]/.test(value) && !value.includes('--');
}

function isPortNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** Kinds whose objects have no namespace: core ones, and every reference CRD of scope `Cluster`. */
let clusterScoped: Set<string> | undefined;
export function isClusterScoped(apiVersion: unknown, kind: unknown): boolean {
  if (!clusterScoped) {
    clusterScoped = new Set([
      'v1 Namespace',
      'v1 Node',
      'v1 PersistentVolume',
      'rbac.authorization.k8s.io/v1 ClusterRole',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
      'networking.k8s.io/v1 IngressClass',
      'scheduling.k8s.io/v1 PriorityClass',
      'apiextensions.k8s.io/v1 CustomResourceDefinition',
    ]);
    const dirs = [path.join(OPERATOR_REFERENCE_DIR, 'crds'), GITOPS_REFERENCE_DIR];
    for (const dir of dirs) {
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
        for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
          const crd = doc.toJS() as {
            kind?: string;
            spec?: { group: string; scope: string; names: { kind: string }; versions: { name: string }[] };
          } | null;
          if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.scope !== 'Cluster') continue;
          for (const version of crd.spec.versions) {
            clusterScoped.add(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`);
          }
        }
      }
    }
  }
  return clusterScoped.has(`${String(apiVersion)} ${String(kind)}`);
}

/** The name rule of a kind (ValidateObjectMeta's `nameFn`). */
function nameProblem(apiVersion: string, kind: string, name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'metadata.name is required';
  if (apiVersion === 'v1' && kind === 'Service') {
    return name.length <= 63 && DNS1035_LABEL.test(name)
      ? undefined
      : 'metadata.name must be a DNS-1035 label';
  }
  if (apiVersion === 'v1' && kind === 'Namespace') {
    return isDns1123Label(name) ? undefined : 'metadata.name must be a DNS-1123 label';
  }
  if (apiVersion.startsWith('rbac.authorization.k8s.io/')) {
    // ValidateRBACName: path.ValidatePathSegmentName.
    return name === '.' || name === '..' || /[/%]/.test(name)
      ? 'metadata.name must be a path segment'
      : undefined;
  }
  return isDns1123Subdomain(name) ? undefined : 'metadata.name must be a DNS-1123 subdomain';
}

function metadataProblems(obj: KubeObjectLike): string[] {
  const apiVersion = String(obj.apiVersion);
  const kind = String(obj.kind);
  const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const name = nameProblem(apiVersion, kind, metadata['name']);
  if (name) problems.push(`${name}, got ${JSON.stringify(metadata['name'])}`);
  const namespace = metadata['namespace'];
  if (namespace !== undefined && !isDns1123Label(namespace)) {
    problems.push(`metadata.namespace must be a DNS-1123 label, got ${JSON.stringify(namespace)}`);
  }
  if (namespace !== undefined && isClusterScoped(apiVersion, kind)) {
    problems.push(`metadata.namespace is set on a cluster-scoped ${kind}`);
  }
  problems.push(...labelProblems('metadata.labels', metadata['labels']));
  const annotations = (metadata['annotations'] ?? {}) as Record<string, unknown>;
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    if (!isQualifiedName(key.toLowerCase()))
      problems.push(`metadata.annotations key ${JSON.stringify(key)} is not a qualified name`);
    size += key.length + String(value).length;
  }
  if (size > ANNOTATIONS_LIMIT)
    problems.push(`metadata.annotations total ${size} bytes, limit ${ANNOTATIONS_LIMIT}`);
  return problems;
}

function labelProblems(at: string, labels: unknown): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries((labels ?? {}) as Record<string, unknown>)) {
    if (!isQualifiedName(key)) problems.push(`${at} key ${JSON.stringify(key)} is not a qualified name`);
    if (!isLabelValue(value))
      problems.push(`${at}[${JSON.stringify(key)}] value ${JSON.stringify(value)} is not a label value`);
  }
  return problems;
}

interface ServicePortLike {
  readonly name?: unknown;
  readonly port?: unknown;
  readonly protocol?: unknown;
  readonly targetPort?: unknown;
}

function serviceProblems(spec: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const type = spec['type'] ?? 'ClusterIP';
  const ports = (spec['ports'] ?? []) as ServicePortLike[];
  if (type !== 'ExternalName' && ports.length === 0 && spec['clusterIP'] !== 'None') {
    problems.push('spec.ports: Required value');
  }
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((port, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && (port.name === undefined || port.name === ''))
      problems.push(`${at}.name: Required value`);
    if (typeof port.name === 'string' && port.name !== '') {
      if (!isDns1123Label(port.name))
        problems.push(`${at}.name ${JSON.stringify(port.name)} is not a DNS-1123 label`);
      if (names.has(port.name)) problems.push(`${at}.name ${JSON.stringify(port.name)} is duplicated`);
      names.add(port.name);
    }
    if (!isPortNumber(port.port))
      problems.push(`${at}.port ${JSON.stringify(port.port)} is not a port number`);
    const protocol = port.protocol ?? 'TCP';
    if (!['TCP', 'UDP', 'SCTP'].includes(String(protocol)))
      problems.push(`${at}.protocol ${JSON.stringify(protocol)}`);
    const key = `${String(port.port)}/${String(protocol)}`;
    if (keys.has(key)) problems.push(`${at}: duplicate port ${key}`);
    keys.add(key);
    const target = port.targetPort;
    if (target !== undefined && !(typeof target === 'string' ? isPortName(target) : isPortNumber(target))) {
      problems.push(`${at}.targetPort ${JSON.stringify(target)} is neither a port number nor a port name`);
    }
  });
  if (type === 'ExternalName') {
    const externalName = String(spec['externalName'] ?? '').replace(/\.$/, '');
    if (!isDns1123Subdomain(externalName))
      problems.push(`spec.externalName ${JSON.stringify(spec['externalName'])} is not a DNS-1123 subdomain`);
  }
  const lbClass = spec['loadBalancerClass'];
  if (lbClass !== undefined) {
    if (type !== 'LoadBalancer') problems.push('spec.loadBalancerClass is only for type LoadBalancer');
    if (typeof lbClass !== 'string' || !isQualifiedName(lbClass))
      problems.push(`spec.loadBalancerClass ${JSON.stringify(lbClass)}`);
  }
  problems.push(...labelProblems('spec.selector', spec['selector']));
  return problems;
}

interface IngressBackendLike {
  readonly service?: {
    readonly name?: unknown;
    readonly port?: { readonly number?: unknown; readonly name?: unknown };
  };
}

function backendProblems(at: string, backend: IngressBackendLike | undefined): string[] {
  if (!backend?.service) return [];
  const problems: string[] = [];
  const { name, port } = backend.service;
  if (typeof name !== 'string' || !(name.length <= 63 && DNS1035_LABEL.test(name))) {
    problems.push(`${at}.service.name ${JSON.stringify(name)} is not a DNS-1035 label`);
  }
  if (port?.name !== undefined && (typeof port.name !== 'string' || !isPortName(port.name))) {
    problems.push(`${at}.service.port.name ${JSON.stringify(port.name)} is not a port name`);
  }
  if (port?.number !== undefined && !isPortNumber(port.number)) {
    problems.push(`${at}.service.port.number ${JSON.stringify(port.number)} is not a port number`);
  }
  return problems;
}

function ingressProblems(spec: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const className = spec['ingressClassName'];
  if (className !== undefined && !isDns1123Subdomain(className)) {
    problems.push(`spec.ingressClassName ${JSON.stringify(className)} is not a DNS-1123 subdomain`);
  }
  problems.push(...backendProblems('spec.defaultBackend', spec['defaultBackend'] as IngressBackendLike));
  const host = (value: unknown): boolean =>
    typeof value === 'string' && isDns1123Subdomain(value.startsWith('*.') ? value.slice(2) : value);
  const rules = (spec['rules'] ?? []) as { host?: unknown; http?: { paths?: Record<string, unknown>[] } }[];
  rules.forEach((rule, i) => {
    if (rule.host !== undefined && !host(rule.host))
      problems.push(`spec.rules[${i}].host ${JSON.stringify(rule.host)}`);
    (rule.http?.paths ?? []).forEach((p, j) => {
      const at = `spec.rules[${i}].http.paths[${j}]`;
      const pathType = p['pathType'];
      if (!['Exact', 'Prefix', 'ImplementationSpecific'].includes(String(pathType)))
        problems.push(`${at}.pathType ${JSON.stringify(pathType)}`);
      const value = p['path'];
      const specific = pathType === 'ImplementationSpecific';
      const absolute = typeof value === 'string' && value.startsWith('/');
      if (!absolute && !(specific && (value === undefined || value === ''))) {
        problems.push(`${at}.path ${JSON.stringify(value)} must be an absolute path`);
      }
      if (!specific && typeof value === 'string' && /\/\/|\/\.\.?(\/|$)|%2f/i.test(value)) {
        problems.push(`${at}.path ${JSON.stringify(value)} must not contain '//', '/./', '/../' or '%2f'`);
      }
      problems.push(...backendProblems(`${at}.backend`, p['backend'] as IngressBackendLike));
    });
  });
  const tls = (spec['tls'] ?? []) as { hosts?: unknown[] }[];
  tls.forEach((entry, i) =>
    (entry.hosts ?? []).forEach((h, j) => {
      if (!host(h)) problems.push(`spec.tls[${i}].hosts[${j}] ${JSON.stringify(h)}`);
    }),
  );
  return problems;
}

/** Problems the API server would refuse `obj` for, beyond its OpenAPI schema; empty if none. */
export function apiServerProblems(obj: KubeObjectLike): string[] {
  const metadata = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const what = `${String(obj.apiVersion)} ${String(obj.kind)} '${String(metadata.namespace ?? '')}/${String(metadata.name)}'`;
  const problems = metadataProblems(obj);
  const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
  if (obj.apiVersion === 'v1' && obj.kind === 'Service') problems.push(...serviceProblems(spec));
  if (obj.apiVersion === 'networking.k8s.io/v1' && obj.kind === 'Ingress')
    problems.push(...ingressProblems(spec));
  return problems.map((p) => `${what}: ${p}`);
}

/** The object's identity on the API server: group, kind, namespace (none if cluster-scoped), name. */
export function identityOf(obj: KubeObjectLike): string {
  const metadata = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const group = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/')[0] : 'core';
  const namespace = isClusterScoped(obj.apiVersion, obj.kind) ? '' : String(metadata.namespace ?? 'default');
  return `${group}/${String(obj.kind)} ${namespace}/${String(metadata.name)}`;
}
