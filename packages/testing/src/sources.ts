import type { TailnetRequirements } from '@tailkube/core/internal';

/** A construct's name in messages, `Kind 'path'`, as core's `constructPath` writes it. */
const SOURCE = /^(\S+) '(.*)'$/s;

/** The kind and path of a `source` such as `Connector 'platform/office'`, or `undefined`. */
export function parseSource(source: string): { readonly kind: string; readonly path: string } | undefined {
  const match = SOURCE.exec(source);
  return match ? { kind: match[1] ?? '', path: match[2] ?? '' } : undefined;
}

/**
 * The registered source naming the construct at `path`: the one of `kind` when given, else the only
 * source at that path (a component named like the tailkube construct it wraps).
 */
export function findSource(
  requirements: readonly TailnetRequirements[],
  path: string,
  kind?: string,
): string | undefined {
  const atPath = sourcesByPath(requirements).get(path) ?? [];
  const ofKind = kind === undefined ? [] : atPath.filter((source) => parseSource(source)?.kind === kind);
  if (ofKind.length === 1) return ofKind[0];
  return atPath.length === 1 ? atPath[0] : undefined;
}

/** Each program's sources by construct path, each once in registration order: built once per program. */
const byPath = new WeakMap<readonly TailnetRequirements[], ReadonlyMap<string, readonly string[]>>();

/**
 * The registered sources by the path they name: a test asks about one construct at a time, and a
 * scan of every registration per question would grow with the program's square.
 */
function sourcesByPath(requirements: readonly TailnetRequirements[]): ReadonlyMap<string, readonly string[]> {
  let sources = byPath.get(requirements);
  if (sources === undefined) {
    const built = new Map<string, string[]>();
    for (const source of new Set(requirements.map((req) => req.source))) {
      const parsed = parseSource(source);
      if (parsed === undefined) continue;
      const listed = built.get(parsed.path);
      if (listed === undefined) built.set(parsed.path, [source]);
      else listed.push(source);
    }
    sources = built;
    byPath.set(requirements, sources);
  }
  return sources;
}
