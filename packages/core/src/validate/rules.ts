import { ValidationError } from '@tailkube/policy';

/** One thing wrong with one field. */
export interface Violation {
  /** The field as the user wrote it, with an index where it is a list item (`tags[1]`). */
  readonly field: string;
  /** The bad value. */
  readonly value: unknown;
  /** What is allowed instead, in words. */
  readonly allowed: string;
  /** A suggestion appended to the message. */
  readonly hint?: string;
  /** Whether the value is a credential. */
  readonly secret?: boolean;
}

/** A pure check of one aspect of a construct's props: `undefined` when they are fine. */
export type Rule<P> = (props: P) => Violation | undefined;

/**
 * Runs a construct's rule table in order and throws the first violation as a
 * {@link ValidationError} for `path`. Runs before anything is created, so nothing is half-written.
 */
export function validateProps<P>(path: string, props: P, rules: readonly Rule<P>[]): void {
  for (const rule of rules) {
    const violation = rule(props);
    if (violation) throw new ValidationError({ path, ...violation });
  }
}

/** The first violation of `check` over a list field, with the item's index in the field name. */
export function checkEach<T>(
  field: string,
  items: readonly T[] | undefined,
  check: (item: T, field: string) => Violation | undefined,
): Violation | undefined {
  for (const [index, item] of (items ?? []).entries()) {
    const violation = check(item, `${field}[${index}]`);
    if (violation) return violation;
  }
  return undefined;
}

/** A violation when `items` holds the same value twice. */
export function checkUnique(field: string, items: readonly string[] | undefined): Violation | undefined {
  const seen = new Set<string>();
  for (const [index, item] of (items ?? []).entries()) {
    if (seen.has(item)) {
      return { field: `${field}[${index}]`, value: item, allowed: 'listed once' };
    }
    seen.add(item);
  }
  return undefined;
}

/**
 * Names for a message, at most `limit` of them and a count of the rest: a fault shared by
 * thousands of constructs (a grant they all need, a ProxyGroup they fill) stays readable.
 */
export function namedList(names: readonly string[], limit = 5): string {
  if (names.length <= limit) return names.join(', ');
  return `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;
}

/** How a construct is named in messages: `Kind 'path'`. */
export function constructPath(kind: string, path: string): string {
  return `${kind} '${path}'`;
}
