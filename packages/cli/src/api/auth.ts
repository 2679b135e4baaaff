import { CliError } from '../errors';
import { registerSecret } from '../redact';
import type { Credentials } from '../settings';
import type { Transport } from './transport';

/**
 * Renew an OAuth access token this long before it expires, so that no call goes out with a token
 * that lapses on the way (golang.org/x/oauth2 keeps a margin for the same reason).
 */
const REFRESH_MARGIN_MS = 60_000;

/** Gives the `Authorization` header for each call to the API. */
export interface Authenticator {
  /** The header value; for OAuth, a token that is valid for at least another minute. */
  authorization(): Promise<string>;
  /** Drops a cached token the API has refused, so the next call fetches a new one. */
  invalidate(): void;
}

/**
 * An API access token goes as the user of HTTP Basic auth with an empty password, as
 * tailscale-client-go-v2 (`client.go`, `SetBasicAuth(c.APIKey, "")`) sends it.
 */
class ApiKeyAuthenticator implements Authenticator {
  readonly #header: string;

  constructor(apiKey: string) {
    this.#header = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
    registerSecret(this.#header);
  }

  authorization(): Promise<string> {
    return Promise.resolve(this.#header);
  }

  invalidate(): void {}
}

/** The token endpoint's answer (OAuth 2.0 client credentials grant, RFC 6749 §4.4.3). */
interface TokenResponse {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope?: string;
}

/**
 * An OAuth client exchanges its id and secret for a short-lived bearer token at
 * `/api/v2/oauth/token`, as tailscale-client-go-v2 (`oauth.go`) does through
 * golang.org/x/oauth2/clientcredentials; the token is renewed before it expires.
 */
class OAuthAuthenticator implements Authenticator {
  readonly #transport: Transport;
  readonly #tokenUrl: URL;
  readonly #clientId: string;
  readonly #clientSecret: string;
  #token: { readonly header: string; readonly expiresAt: number } | undefined;

  constructor(transport: Transport, baseUrl: URL, clientId: string, clientSecret: string) {
    this.#transport = transport;
    this.#tokenUrl = new URL('/api/v2/oauth/token', baseUrl);
    this.#clientId = clientId;
    this.#clientSecret = clientSecret;
  }

  async authorization(): Promise<string> {
    if (this.#token === undefined || Date.now() >= this.#token.expiresAt - REFRESH_MARGIN_MS) {
      this.#token = await this.#fetchToken();
    }
    return this.#token.header;
  }

  invalidate(): void {
    this.#token = undefined;
  }

  async #fetchToken(): Promise<{ header: string; expiresAt: number }> {
    const response = await this.#transport.send({
      method: 'POST',
      url: this.#tokenUrl,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.#clientId,
        client_secret: this.#clientSecret,
      }).toString(),
    });
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      throw new CliError(
        `the Tailscale API refused the OAuth client credentials (${response.status}) at ${this.#tokenUrl.href}: check TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET (a revoked or mistyped client)`,
      );
    }
    const token = parseToken(response.status, response.text);
    if (token === undefined) {
      throw new CliError(
        `the Tailscale API gave no access token at ${this.#tokenUrl.href} (${response.status}); expected {"access_token", "token_type", "expires_in"}`,
      );
    }
    registerSecret(token.access_token);
    return {
      header: `Bearer ${token.access_token}`,
      expiresAt: Date.now() + token.expires_in * 1000,
    };
  }
}

function parseToken(status: number, text: string): TokenResponse | undefined {
  if (status !== 200) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const token = body as Partial<TokenResponse> | null;
  if (typeof token?.access_token !== 'string' || token.access_token === '') return undefined;
  if (typeof token.expires_in !== 'number' || !(token.expires_in > 0)) return undefined;
  if (typeof token.token_type !== 'string' || token.token_type.toLowerCase() !== 'bearer') return undefined;
  return token as TokenResponse;
}

/** The authenticator for `credentials`. */
export function authenticatorFor(
  credentials: Credentials,
  transport: Transport,
  baseUrl: URL,
): Authenticator {
  return credentials.kind === 'api-key'
    ? new ApiKeyAuthenticator(credentials.apiKey)
    : new OAuthAuthenticator(transport, baseUrl, credentials.clientId, credentials.clientSecret);
}
