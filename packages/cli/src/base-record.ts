import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { CliError } from './errors';
import { withoutOwnedEntries } from './owned-entries';

/** Where `tailkube pull` writes the live policy, for the program to take as its base. */
export const DEFAULT_BASE_FILE = 'tailnet-base.hujson';

/**
 * The ETag a policy was read (or last written) at, kept beside the base file as
 * `<base>.etag.json` so it can be committed with it: `apply` conditions its write on it, and
 * `diff` names what changed in the tailnet since.
 */
export interface EtagRecord {
  /** The tailnet, as the API names it. */
  readonly tailnet: string;
  /** The `ETag` header, quotes included. */
  readonly etag: string;
  /**
   * SHA-256 of the policy text at that ETag without the entries tailkube owns, to recognise it on
   * disk later (the base file after a `pull`, the program's policy after an `apply`).
   */
  readonly sha256: string;
  /** What wrote the record: a `pull`, or an `apply` of the program's policy. */
  readonly by: 'pull' | 'apply';
}

/** The record's path for a base file: `tailnet-base.hujson` → `tailnet-base.etag.json`. */
export function recordPathFor(baseFile: string): string {
  return `${baseFile.replace(/\.hujson$/, '')}.etag.json`;
}

/** SHA-256 of `text`, line endings as written. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The record beside `baseFile`, or undefined when nothing was pulled. */
export function readRecord(baseFile: string): EtagRecord | undefined {
  const file = recordPathFor(baseFile);
  if (!fs.existsSync(file)) return undefined;
  let record: Partial<EtagRecord> | undefined;
  try {
    record = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<EtagRecord>;
  } catch {
    record = undefined;
  }
  if (
    typeof record?.etag !== 'string' ||
    typeof record.tailnet !== 'string' ||
    typeof record.sha256 !== 'string' ||
    (record.by !== 'pull' && record.by !== 'apply')
  ) {
    throw new CliError(
      `${file} is not an ETag record (expected {"tailnet", "etag", "sha256", "by"}); run \`tailkube pull\` to write it again`,
    );
  }
  return record as EtagRecord;
}

/**
 * Records that the tailnet's policy was `text` at `etag` (after a `pull` or an `apply`), beside
 * `baseFile`, keys in a fixed order; returns the record's path. `text` is hashed without the
 * entries tailkube owns.
 */
export function writeRecord(
  baseFile: string,
  tailnet: string,
  etag: string,
  text: string,
  by: EtagRecord['by'],
): string {
  const file = recordPathFor(baseFile);
  const record: EtagRecord = { tailnet, etag, sha256: sha256(withoutOwnedEntries(text).text), by };
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
