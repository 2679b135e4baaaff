/** The prefix of every Tailscale key, kept apart so no file here holds a key-shaped literal. */
const KEY_PREFIX = ['ts', 'key'].join('');

/**
 * A value shaped like a Tailscale key (`<prefix>-<kind>-<id>`), built at run time: the CLI must
 * redact the shape itself, and a key-shaped literal in the repository is what leak scanners (ours
 * included) flag as a committed credential.
 */
export function keyShaped(kind: 'api' | 'client' | 'access', id: string): string {
  return [KEY_PREFIX, kind, id].join('-');
}

/** Matches anything shaped like a Tailscale key, for asserting that output holds none. */
export const KEY_SHAPE = new RegExp(`${KEY_PREFIX}-[a-z]+-[A-Za-z0-9]`);
