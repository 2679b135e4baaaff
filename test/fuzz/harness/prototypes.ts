/** The built-in prototypes a pollution would change. */
const PROTOTYPES: readonly [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['String.prototype', String.prototype],
  ['Function.prototype', Function.prototype],
];

/** A snapshot of the built-in prototypes: every own key and its value or accessor. */
export function snapshotPrototypes(): Map<string, unknown> {
  const snapshot = new Map<string, unknown>();
  for (const [name, proto] of PROTOTYPES) {
    for (const key of Reflect.ownKeys(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
      snapshot.set(`${name}[${String(key)}]`, descriptor.get ?? descriptor.value);
    }
  }
  return snapshot;
}

/** What changed on the built-in prototypes since `before`. */
export function prototypeChanges(before: Map<string, unknown>): string[] {
  const after = snapshotPrototypes();
  const changes: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) changes.push(`${key} was added`);
    else if (before.get(key) !== value) changes.push(`${key} was changed`);
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push(`${key} was deleted`);
  return changes;
}
