import { isValidationError } from '@tailkube/core';
import { SECRET_SHAPE } from '../arbitraries/shared';
import { validateKubeObject, type KubeObjectLike } from '../../helpers/schemas';
import { apiServerProblems, identityOf } from './kube-rules';

/** What running a program gave: the error it threw, or its objects and the text it wrote. */
export interface Outcome {
  readonly error?: unknown;
  readonly objects: readonly KubeObjectLike[];
  /** Every text the program outputs outside a secret (policy, report, objects, Pulumi inputs). */
  readonly texts: readonly { readonly where: string; readonly text: string }[];
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${(error.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
  try {
    return String(error);
  } catch {
    return typeof error;
  }
}

function errorText(error: unknown): string {
  const e = error as Record<string, unknown>;
  const parts = [e['message'], e['path'], e['field'], e['allowed']].map((v) => String(v));
  let value: string;
  try {
    value = JSON.stringify(e['value'], (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(e['value']);
  } catch {
    value = String(e['value']);
  }
  return [...parts, value].join('\n');
}

/**
 * Every way the outcome breaks the suite's contract; empty if it keeps it. A failure is a
 * `ValidationError` with a non-empty `path`, `field` and `allowed`, and `value` set (`undefined`
 * only when nothing was given), echoing no secret. A success is objects that pass their schemas
 * (CRD schema and CEL rules, or the Kubernetes schema), the API server's other create-time rules,
 * have distinct identities, and output no secret.
 */
export function contractBreaches(outcome: Outcome): string[] {
  if ('error' in outcome) {
    const { error } = outcome;
    if (!isValidationError(error)) return [`not a ValidationError: ${describeError(error)}`];
    const breaches: string[] = [];
    for (const field of ['path', 'field', 'allowed'] as const) {
      const value = (error as unknown as Record<string, unknown>)[field];
      if (typeof value !== 'string' || value.trim() === '') breaches.push(`ValidationError.${field} is empty: ${String(value)}`);
    }
    if (!('value' in error)) breaches.push('ValidationError has no `value`');
    const text = errorText(error);
    if (SECRET_SHAPE.test(text)) breaches.push(`ValidationError echoes a secret: ${error.message}`);
    return breaches;
  }
  const breaches = outcome.objects.flatMap((obj) => [...validateKubeObject(obj), ...apiServerProblems(obj)]);
  const seen = new Map<string, number>();
  outcome.objects.forEach((obj, i) => {
    const identity = identityOf(obj);
    const first = seen.get(identity);
    if (first !== undefined) breaches.push(`objects ${first} and ${i} have one identity: ${identity}`);
    else seen.set(identity, i);
  });
  for (const { where, text } of outcome.texts) {
    const match = SECRET_SHAPE.exec(text);
    if (match) breaches.push(`${where} holds a secret: …${text.slice(Math.max(0, match.index - 40), match.index + 40)}…`);
  }
  return breaches;
}
