import { describeValue } from '@tailkube/core/internal';

/**
 * How a value is named in messages: a construct by its class and path, other objects by class,
 * anything else as `describeValue` prints it. Never throws, whatever a caller passes.
 */
export function describeObject(value: unknown): string {
  if (typeof value !== 'object' || value === null) return describeValue(value);
  try {
    const kind = (value.constructor as { name?: string } | undefined)?.name || 'Object';
    const path = (value as { node?: { path?: unknown } }).node?.path;
    return typeof path === 'string' ? `${kind} '${path}'` : `a ${kind}`;
  } catch {
    return 'an object';
  }
}
