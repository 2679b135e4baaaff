import * as pulumi from '@pulumi/pulumi';
import type { MockedResource } from '@tailkube/pulumi';
import type { KubeObjectLike } from './schemas';

/** Whether a captured input is a secret, as the Pulumi engine receives it. */
export function isSecretWrapped(value: unknown): value is { readonly value: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

/** The captured value with every secret replaced by what it wraps. */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretWrapped(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** Every string in a captured value that is NOT inside a secret, with where it is. */
export function plainStrings(value: unknown, at = ''): { readonly at: string; readonly text: string }[] {
  if (isSecretWrapped(value)) return [];
  if (typeof value === 'string') return [{ at, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainStrings(v, `${at}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [
    { at: `${at}{key}`, text: k },
    ...plainStrings(v, `${at}.${k}`),
  ]);
}

/**
 * The Kubernetes objects a Pulumi program registered (not the Helm chart, which is a component),
 * as their inputs with secrets unwrapped.
 */
export function registeredKubeObjects(resources: readonly MockedResource[]): KubeObjectLike[] {
  return resources
    .filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:helm.sh/'))
    .map((r) => unwrapSecrets(r.inputs) as KubeObjectLike);
}
