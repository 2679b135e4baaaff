import { REDACTED } from '@tailkube/policy';

/** Anything shaped like a Tailscale key: API access tokens, OAuth client secrets, auth keys. */
const TAILSCALE_KEY = /tskey-[A-Za-z0-9_-]+/g;

/**
 * Secrets this process holds (the API key, the OAuth client secret, access tokens), removed from
 * every line the command prints, whatever their shape.
 */
const secrets = new Set<string>();

/** Marks `value` as a secret: it never appears in output, logs or errors from now on. */
export function registerSecret(value: string): void {
  // Short values would redact ordinary words; credentials are long.
  if (value.length >= 8) secrets.add(value);
}

/** `text` with every registered secret and every `tskey-…` replaced by `<redacted>`. */
export function redact(text: string): string {
  let clean = text;
  for (const secret of secrets) clean = clean.split(secret).join(REDACTED);
  return clean.replace(TAILSCALE_KEY, REDACTED);
}
