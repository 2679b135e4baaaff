import { REDACTED, redactSecrets } from '@tailkube/policy';

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

/**
 * `text` with every registered secret, every `tskey-…` and every URL userinfo replaced by
 * `<redacted>` (the shapes by the library's one redactor).
 */
export function redact(text: string): string {
  let clean = text;
  for (const secret of secrets) clean = clean.split(secret).join(REDACTED);
  return redactSecrets(clean);
}
