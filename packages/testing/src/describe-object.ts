/** How a value is named in messages: a construct by its class and path, other objects by class. */
export function describeObject(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? String(value);
  const kind = (value.constructor as { name?: string } | undefined)?.name || 'Object';
  const path = (value as { node?: { path?: unknown } }).node?.path;
  return typeof path === 'string' ? `${kind} '${path}'` : `a ${kind}`;
}
