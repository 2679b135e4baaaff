import { isValidationError } from '@tailkube/core';
import { SECRET_SHAPE } from '../arbitraries/shared';
import { validateKubeObject, type KubeObjectLike } from '../../helpers/schemas';
import { apiServerProblems, identityOf } from './kube-rules';
import { LATE_CHANGE } from './plan';

/** What running a program gave: the error it threw, or its objects and the text it wrote. */
export interface Outcome {
  readonly error?: unknown;
  readonly objects: readonly KubeObjectLike[];
  /** Every text the program outputs outside a secret (policy, report, objects, Pulumi inputs). */
  readonly texts: readonly { readonly where: string; readonly text: string }[];
}

function describeError(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${error.message}\n${(error.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
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
    value =
      JSON.stringify(e['value'], (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ??
      String(e['value']);
  } catch {
    value = String(e['value']);
  }
  return [...parts, value].join('\n');
}

/** A run's outcome with how it ran: how long it took, what it changed on the built-in prototypes. */
export interface CheckedOutcome extends Outcome {
  readonly elapsedMs: number;
  /** Set when the run did not finish in time. */
  readonly hung?: true;
  readonly prototypeChanges: readonly string[];
}

/**
 * The contract, one concern at a time; each gives the ways an outcome breaks it (empty if none).
 * Kept apart so that a breach of one concern does not hide a breach of another: each is its own
 * property with its own counterexample.
 */
export const CONCERNS = {
  /**
   * A failure is a `ValidationError` with a non-empty `path`, `field` and `allowed`, and `value`
   * set (`undefined` only when nothing was given): never a raw error.
   */
  'fails only with a complete ValidationError': (outcome: CheckedOutcome): string[] => {
    if (!('error' in outcome)) return [];
    const { error } = outcome;
    if (!isValidationError(error)) return [`not a ValidationError: ${describeError(error)}`];
    const breaches: string[] = [];
    for (const field of ['path', 'field', 'allowed'] as const) {
      const value = (error as unknown as Record<string, unknown>)[field];
      if (typeof value !== 'string' || value.trim() === '')
        breaches.push(`ValidationError.${field} is empty: ${String(value)}`);
    }
    if (!('value' in error)) breaches.push('ValidationError has no `value`');
    return breaches;
  },
  /** No error and no output (objects outside Pulumi secrets, policy, report, console) holds a secret. */
  'echoes no secret': (outcome: CheckedOutcome): string[] => {
    if ('error' in outcome) {
      const text = errorText(outcome.error);
      return SECRET_SHAPE.test(text) ? [`the error echoes a secret: ${text.split('\n')[0]}`] : [];
    }
    const breaches: string[] = [];
    for (const { where, text } of outcome.texts) {
      const match = SECRET_SHAPE.exec(text);
      if (match)
        breaches.push(
          `${where} holds a secret: …${text.slice(Math.max(0, match.index - 60), match.index + 40)}…`,
        );
    }
    return breaches;
  },
  /** Every object passes its CRD schema and CEL rules, or its Kubernetes schema. */
  'emits objects that pass their schemas': (outcome: CheckedOutcome): string[] =>
    outcome.objects.flatMap((obj) => validateKubeObject(obj)),
  /**
   * Every object passes the API server's other create-time rules (names, labels, Service and
   * Ingress rules), and no two objects share an identity (group, kind, namespace, name).
   */
  'emits objects the API server accepts, each identity once': (outcome: CheckedOutcome): string[] => {
    const breaches = outcome.objects.flatMap((obj) => apiServerProblems(obj));
    const seen = new Map<string, number>();
    outcome.objects.forEach((obj, i) => {
      const identity = identityOf(obj);
      const first = seen.get(identity);
      if (first !== undefined) breaches.push(`objects ${first} and ${i} have one identity: ${identity}`);
      else seen.set(identity, i);
    });
    return breaches;
  },
  /**
   * Props and verb arguments are read when given: changing them afterwards (as a program that
   * reuses one object for its next construct does) changes no output, and fails nothing.
   */
  'reads its props when given': (outcome: CheckedOutcome): string[] => {
    if ('error' in outcome) {
      const text = errorText(outcome.error);
      return text.includes(LATE_CHANGE) ? [`the error reads a later change: ${text.split('\n')[0]}`] : [];
    }
    return outcome.texts
      .filter(({ text }) => text.includes(LATE_CHANGE))
      .map(({ where, text }) => `${where} holds a later change: ${text.slice(0, 300)}`);
  },
  /** The run leaves the built-in prototypes alone and finishes in time. */
  'leaves Object.prototype alone and does not hang': (outcome: CheckedOutcome): string[] => [
    ...outcome.prototypeChanges,
    ...(outcome.hung ? [`did not finish in ${outcome.elapsedMs} ms (a hang)`] : []),
  ],
} as const;

/** The name of one concern of the contract. */
export type Concern = keyof typeof CONCERNS;
