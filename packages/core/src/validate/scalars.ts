import { formatRange, parseRange } from '@tailkube/policy/internal';
import ipaddr from 'ipaddr.js';
import type { Violation } from './rules';

/** The operator's Tag pattern (CRD `tags` items). */
export const TAG_PATTERN = /^tag:[a-zA-Z][a-zA-Z0-9-]*$/;
/** The operator's Hostname pattern: a DNS label of 2 to 63 characters. */
export const HOSTNAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
/** The operator's HostnamePrefix pattern: 1 to 62 characters, so a replica suffix still fits. */
export const HOSTNAME_PREFIX_PATTERN = /^[a-z0-9][a-z0-9-]{0,61}$/;
/** A Kubernetes namespace or other RFC 1123 label name. */
export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A Kubernetes object name (RFC 1123 subdomain). */
export const DNS_SUBDOMAIN_PATTERN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Kubernetes label value. */
export const LABEL_VALUE_PATTERN = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
/** A release version, as the chart repository names them. */
export const VERSION_PATTERN = /^\d+\.\d+\.\d+$/;

/** A Tailscale ACL tag such as `tag:k8s`. */
export function checkTag(value: string, field: string): Violation | undefined {
  if (TAG_PATTERN.test(value)) return undefined;
  const hint = TAG_PATTERN.test(`tag:${value}`) ? `did you mean "tag:${value}"?` : undefined;
  return {
    field,
    value,
    allowed: 'a tag such as "tag:k8s" (letters, digits and dashes after "tag:", starting with a letter)',
    ...(hint && { hint }),
  };
}

/** A device hostname as the operator accepts it. */
export function checkHostname(value: string, field: string): Violation | undefined {
  if (HOSTNAME_PATTERN.test(value)) return undefined;
  const fixed = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return {
    field,
    value,
    allowed:
      'a DNS label of 2 to 63 lower-case letters, digits and dashes, not starting or ending with a dash',
    ...(fixed !== value && HOSTNAME_PATTERN.test(fixed) && { hint: `did you mean "${fixed}"?` }),
  };
}

/** A device hostname prefix as the operator accepts it. */
export function checkHostnamePrefix(value: string, field: string): Violation | undefined {
  if (HOSTNAME_PREFIX_PATTERN.test(value)) return undefined;
  return {
    field,
    value,
    allowed: '1 to 62 lower-case letters, digits and dashes, not starting with a dash',
  };
}

/** A Kubernetes namespace name. */
export function checkNamespace(value: string, field: string): Violation | undefined {
  if (DNS_LABEL_PATTERN.test(value)) return undefined;
  return {
    field,
    value,
    allowed:
      'a namespace name: at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit',
  };
}

/** A Kubernetes object name (RFC 1123 subdomain). */
export function checkObjectName(value: string, field: string): Violation | undefined {
  if (DNS_SUBDOMAIN_PATTERN.test(value)) return undefined;
  return {
    field,
    value,
    allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
  };
}

/** A Kubernetes label value. */
export function checkLabelValue(value: string, field: string): Violation | undefined {
  if (LABEL_VALUE_PATTERN.test(value)) return undefined;
  return {
    field,
    value,
    allowed:
      'a label value: at most 63 letters, digits, dashes, underscores and dots, starting and ending with a letter or digit',
  };
}

/**
 * The name of a ProxyClass a Service or Ingress names in its `tailscale.com/proxy-class` label
 * (`cmd/k8s-operator/svc.go`, `ingress.go` at v1.102.3 read it from there): an object name that
 * is also a label value, so at most 63 characters.
 */
export function checkProxyClassLabel(value: string, field: string): Violation | undefined {
  if (DNS_SUBDOMAIN_PATTERN.test(value) && LABEL_VALUE_PATTERN.test(value)) return undefined;
  return {
    field,
    value,
    allowed:
      'a ProxyClass name that fits a label value: at most 63 lower-case letters, digits, dashes and dots, starting and ending with a letter or digit',
  };
}

/** A chart version such as `1.102.3`. */
export function checkVersion(value: string, field: string): Violation | undefined {
  if (VERSION_PATTERN.test(value)) return undefined;
  const stripped = value.replace(/^v/, '');
  return {
    field,
    value,
    allowed: 'a release version such as "1.102.3"',
    ...(VERSION_PATTERN.test(stripped) && { hint: `did you mean "${stripped}"?` }),
  };
}

/**
 * A masked CIDR route such as `10.0.0.0/8` or `fd7a:115c:a1e0::/48`. An address with host bits
 * set gets the masked form as a hint; a bare address gets its single-host prefix.
 */
export function checkRoute(value: string, field: string): Violation | undefined {
  const allowed = 'a masked CIDR such as "10.0.0.0/8"';
  const masked = maskRoute(value);
  if (masked === value) return undefined;
  if (masked !== undefined) return { field, value, allowed, hint: `did you mean "${masked}"?` };
  if (isStrictAddress(value)) {
    const bits = ipaddr.parse(value).kind() === 'ipv4' ? 32 : 128;
    return { field, value, allowed, hint: `did you mean "${canonicalAddress(value)}/${bits}"?` };
  }
  return { field, value, allowed };
}

/**
 * The masked, canonical form of a CIDR (`10.0.0.1/8` → `10.0.0.0/8`), or `undefined` when
 * `value` is not a CIDR.
 */
export function maskRoute(value: string): string | undefined {
  if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(value)) return undefined;
  // The engine's parser reads the strict forms only and masks host bits; without the exception
  // ipaddr.js's parseCIDR throws (and catches) for every IPv4 route.
  const range = parseRange(value);
  return range === undefined ? undefined : formatRange(range);
}

/** Four-part decimal IPv4 without leading zeros (as Tailscale parses it), or IPv6. */
const STRICT_IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * Whether `value` is an address Tailscale accepts. ipaddr.js also reads inet_aton shorthands
 * (`10.1`, `010.0.0.1` as octal, `0x0a.0.0.1`), which would turn into hints naming another address.
 */
function isStrictAddress(value: string): boolean {
  return value.includes(':') ? ipaddr.IPv6.isValid(value) : STRICT_IPV4.test(value);
}

function canonicalAddress(value: string): string {
  return ipaddr.parse(value).toString();
}

/** A label or annotation key: an optional DNS-subdomain prefix and a name of up to 63 characters. */
const METADATA_KEY_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** A label or annotation key such as `app` or `eks.amazonaws.com/role-arn`. */
export function checkMetadataKey(key: string, field: string): Violation | undefined {
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  if (METADATA_KEY_PATTERN.test(key) && prefix.length <= 253) return undefined;
  return {
    field,
    value: key,
    allowed:
      'a key such as "app" or "example.com/team": an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" and "."',
  };
}

/** Labels: valid keys and label values. */
export function checkLabelMap(
  field: string,
  labels: Readonly<Record<string, string>> | undefined,
): Violation | undefined {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const at = `${field}[${JSON.stringify(key)}]`;
    const bad = checkMetadataKey(key, at) ?? checkLabelValue(value, at);
    if (bad) return bad;
  }
  return undefined;
}

/** Annotations: valid keys, string values. */
export function checkAnnotationMap(
  field: string,
  annotations: Readonly<Record<string, string>> | undefined,
): Violation | undefined {
  for (const [key, value] of Object.entries(annotations ?? {})) {
    const at = `${field}[${JSON.stringify(key)}]`;
    const bad =
      checkMetadataKey(key, at) ??
      (typeof value === 'string' ? undefined : { field: at, value, allowed: 'a string' });
    if (bad) return bad;
  }
  return undefined;
}

/** The largest `replicas` the operator's CRDs accept (an int32). */
const MAX_REPLICAS = 2 ** 31 - 1;

/** A `replicas` count as every operator CRD takes it: a whole number from 0 to the int32 maximum. */
export function checkReplicas(replicas: number | undefined): Violation | undefined {
  if (replicas === undefined || (Number.isInteger(replicas) && replicas >= 0 && replicas <= MAX_REPLICAS)) {
    return undefined;
  }
  return { field: 'replicas', value: replicas, allowed: `a whole number from 0 to ${MAX_REPLICAS}` };
}
