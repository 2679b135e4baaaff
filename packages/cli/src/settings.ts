import { CliError } from './errors';
import { registerSecret } from './redact';

/** The Tailscale API, unless `TAILSCALE_BASE_URL` or `--base-url` says otherwise. */
export const DEFAULT_BASE_URL = 'https://api.tailscale.com';
/** The tailnet of the credentials, as the API spells it. */
export const DEFAULT_TAILNET = '-';
/** How long one API call may take before it is abandoned. */
export const DEFAULT_TIMEOUT_SECONDS = 30;

/** How the command authenticates to the Tailscale API. */
export type Credentials =
  | { readonly kind: 'api-key'; readonly apiKey: string }
  | { readonly kind: 'oauth'; readonly clientId: string; readonly clientSecret: string };

/** Where and as whom the command talks to the Tailscale API. */
export interface ApiSettings {
  readonly baseUrl: URL;
  readonly tailnet: string;
  readonly credentials: Credentials;
  readonly timeoutMs: number;
  /**
   * The proxy the environment names for the API's scheme, as `scheme://host:port` (never its
   * credentials), for messages: undici reads the variables itself.
   */
  readonly proxy?: string;
}

/** The global flags that override the environment; secrets have none (see `docs/cli.md`). */
export interface ApiFlags {
  readonly tailnet?: string;
  readonly baseUrl?: string;
  readonly oauthClientId?: string;
  readonly timeout?: string;
}

/**
 * The API settings from the environment names the Tailscale Terraform and Pulumi providers use,
 * each overridden by its flag. Secrets come from the environment only: a flag would show them in
 * the process list and the shell history.
 */
export function resolveApiSettings(env: NodeJS.ProcessEnv, flags: ApiFlags): ApiSettings {
  const baseUrl = parseBaseUrl(flags.baseUrl ?? nonEmpty(env['TAILSCALE_BASE_URL']) ?? DEFAULT_BASE_URL);
  const proxy = proxyFor(env, baseUrl);
  return {
    baseUrl,
    tailnet: flags.tailnet ?? nonEmpty(env['TAILSCALE_TAILNET']) ?? DEFAULT_TAILNET,
    credentials: resolveCredentials(env, flags),
    timeoutMs: parseTimeout(flags.timeout) * 1000,
    ...(proxy !== undefined && { proxy }),
  };
}

/** `HTTPS_PROXY` for an https API, `HTTP_PROXY` for an http one (either case), without credentials. */
export function proxyFor(env: NodeJS.ProcessEnv, baseUrl: URL): string | undefined {
  const name = baseUrl.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  const value = nonEmpty(env[name.toUpperCase()]) ?? nonEmpty(env[name]);
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return `${name.toUpperCase()} ${url.protocol}//${url.host}`;
  } catch {
    return name.toUpperCase();
  }
}

function resolveCredentials(env: NodeJS.ProcessEnv, flags: ApiFlags): Credentials {
  const clientId = flags.oauthClientId ?? nonEmpty(env['TAILSCALE_OAUTH_CLIENT_ID']);
  const clientSecret = nonEmpty(env['TAILSCALE_OAUTH_CLIENT_SECRET']);
  const apiKey = nonEmpty(env['TAILSCALE_API_KEY']);
  if (clientId !== undefined || clientSecret !== undefined) {
    if (clientId === undefined || clientSecret === undefined) {
      const missing = clientId === undefined ? 'TAILSCALE_OAUTH_CLIENT_ID' : 'TAILSCALE_OAUTH_CLIENT_SECRET';
      throw new CliError(
        `incomplete OAuth client credentials: ${missing} is not set; an OAuth client needs both TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET`,
      );
    }
    registerSecret(clientSecret);
    return { kind: 'oauth', clientId, clientSecret };
  }
  if (apiKey !== undefined) {
    registerSecret(apiKey);
    return { kind: 'api-key', apiKey };
  }
  throw new CliError(
    'no Tailscale API credentials: set TAILSCALE_API_KEY, or TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET (an OAuth client with the policy_file scope)',
  );
}

function parseBaseUrl(text: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || !['http:', 'https:'].includes(url.protocol)) {
    throw new CliError(
      `\`TAILSCALE_BASE_URL\` (or \`--base-url\`) must be an http(s) URL such as "${DEFAULT_BASE_URL}", got ${JSON.stringify(text)}`,
    );
  }
  return url;
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CliError(
      `\`--timeout\` must be a number of seconds above 0 such as "30", got ${JSON.stringify(text)}`,
    );
  }
  return seconds;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
