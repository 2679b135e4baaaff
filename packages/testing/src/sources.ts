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
  const atPath = [...new Set(requirements.map((req) => req.source))].filter(
    (source) => parseSource(source)?.path === path,
  );
  const ofKind = kind === undefined ? [] : atPath.filter((source) => parseSource(source)?.kind === kind);
  if (ofKind.length === 1) return ofKind[0];
  return atPath.length === 1 ? atPath[0] : undefined;
}
