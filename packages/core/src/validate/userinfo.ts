import { REDACTED } from '@tailkube/policy';
import type { Violation } from './rules';

/** A URL's or host's userinfo: `user:password@` after an optional scheme, before any path. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#@]*)@/i;

/**
 * A violation when `value` (a URL, or a host as an S3 endpoint is written) carries credentials
 * (`https://user:key@host`, `user:key@host`). Rendered values are written into objects in plain
 * text, so credentials belong in a Secret; the error shows the value with the userinfo redacted.
 */
export function checkNoUserinfo(
  field: string,
  value: string,
  allowed: string,
  hint: string,
): Violation | undefined {
  const match = USERINFO.exec(value);
  if (!match) return undefined;
  return {
    field,
    value: `${match[1] ?? ''}${REDACTED}@${value.slice(match[0].length)}`,
    allowed: `${allowed}, without credentials ("user:password@")`,
    hint,
  };
}
