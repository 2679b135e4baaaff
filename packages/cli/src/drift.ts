import type { PolicyDocument } from '@tailkube/policy';
import { canonical, compareStrings } from '@tailkube/policy/internal';

/** One entry of the policy that differs between two versions. */
export interface EntryChange {
  readonly change: 'added' | 'removed' | 'changed';
  /** Where, such as `tagOwners["tag:k8s"]` or `grants`. */
  readonly path: string;
  /** The entry (for `changed`, the new value), as compact JSON. */
  readonly value: string;
  /** For `changed`: the value before. */
  readonly was?: string;
}

/** An entry longer than this prints shortened: the text diff shows it whole. */
const MAX_VALUE = 160;

/**
 * The entries of `after` that differ from `before`, named by path: list items added or removed
 * (compared by meaning, so reordering keys is no change), object keys added, removed or changed.
 */
export function diffEntries(before: PolicyDocument, after: PolicyDocument): readonly EntryChange[] {
  const changes: EntryChange[] = [];
  walk('', before, after, changes);
  return changes;
}

function walk(path: string, before: unknown, after: unknown, changes: EntryChange[]): void {
  if (canonical(before) === canonical(after)) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const remaining = new Map<string, number>();
    for (const item of before) remaining.set(canonical(item), (remaining.get(canonical(item)) ?? 0) + 1);
    const added: string[] = [];
    for (const item of after) {
      const key = canonical(item);
      const left = remaining.get(key) ?? 0;
      if (left > 0) remaining.set(key, left - 1);
      else added.push(key);
    }
    for (const [key, count] of remaining) {
      for (let i = 0; i < count; i += 1) changes.push({ change: 'removed', path, value: short(key) });
    }
    for (const key of added) changes.push({ change: 'added', path, value: short(key) });
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareStrings);
    for (const key of keys) {
      const child = `${path}${formatKey(key, path === '')}`;
      if (!(key in after))
        changes.push({ change: 'removed', path: child, value: short(canonical(before[key])) });
      else if (!(key in before))
        changes.push({ change: 'added', path: child, value: short(canonical(after[key])) });
      else walk(child, before[key], after[key], changes);
    }
    return;
  }
  changes.push({ change: 'changed', path, value: short(canonical(after)), was: short(canonical(before)) });
}

function formatKey(key: string, top: boolean): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return top ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

function short(json: string): string {
  return json.length <= MAX_VALUE ? json : `${json.slice(0, MAX_VALUE - 1)}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
