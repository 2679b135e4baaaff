import { CliError } from '../errors';
import { redact } from '../redact';
import type { ApiSettings } from '../settings';
import { authenticatorFor, type Authenticator } from './auth';
import { Transport, type HttpResponse } from './transport';

/** The policy file as the tailnet holds it. */
export interface LivePolicy {
  /** HuJSON, comments and layout as last written. */
  readonly text: string;
  /** The `ETag` header, quotes included, for a later `If-Match`. */
  readonly etag: string;
}

/** What `/acl/validate` said about a document. */
export interface ControlPlaneVerdict {
  readonly ok: boolean;
  /** The API's summary, such as `test(s) failed`. */
  readonly message?: string;
  /** Each failure, prefixed with the user or test it concerns. */
  readonly errors: readonly string[];
  /** Warnings that do not fail the document (such as groups not synced from SCIM). */
  readonly warnings: readonly string[];
}

/** A device as `GET /tailnet/{tailnet}/devices?fields=all` lists it (the fields tailkube reads). */
export interface ApiDevice {
  readonly addresses: readonly string[];
  readonly name: string;
  readonly hostname: string;
  /** The owner's login name; for a tagged device, the user who tagged it. */
  readonly user: string;
  readonly tags?: readonly string[];
  readonly advertisedRoutes?: readonly string[];
}

/** The policy changed in the tailnet since the ETag the write was conditioned on. */
export class PolicyChangedError extends CliError {
  override name = 'PolicyChangedError';
}

/**
 * The calls `tailkube` makes to the Tailscale API (v2), following the contract of the official Go
 * client tailscale/tailscale-client-go-v2 (`policyfile.go`, `devices.go`, `client.go`).
 */
export class TailscaleClient {
  readonly #settings: ApiSettings;
  readonly #transport: Transport;
  readonly #auth: Authenticator;

  constructor(settings: ApiSettings) {
    this.#settings = settings;
    this.#transport = new Transport({
      timeoutMs: settings.timeoutMs,
      ...(settings.proxy !== undefined && { proxy: settings.proxy }),
    });
    this.#auth = authenticatorFor(settings.credentials, this.#transport, settings.baseUrl);
  }

  /** The tailnet this client reads and writes, as the API names it. */
  get tailnet(): string {
    return this.#settings.tailnet;
  }

  /** `GET /tailnet/{tailnet}/acl` with `Accept: application/hujson`: comments kept (`Raw`). */
  async getPolicy(): Promise<LivePolicy> {
    const response = await this.#call('GET', 'acl', 'reading the tailnet policy', {
      Accept: 'application/hujson',
    });
    return { text: response.text, etag: etagOf(response) };
  }

  /**
   * `POST /tailnet/{tailnet}/acl` with the HuJSON body, conditioned on `ifMatch` (the ETag of the
   * policy the change was prepared against) unless it is undefined. A 412 throws
   * {@link PolicyChangedError}: the tailnet's policy is then untouched.
   */
  async setPolicy(text: string, ifMatch: string | undefined): Promise<LivePolicy> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/hujson',
      Accept: 'application/hujson',
    };
    // The Go client's `Set` sends the ETag re-quoted: `fmt.Sprintf("%q", strings.Trim(etag, `"`))`.
    if (ifMatch !== undefined) headers['If-Match'] = `"${ifMatch.replace(/^"|"$/g, '')}"`;
    const response = await this.#call('POST', 'acl', 'writing the tailnet policy', headers, text);
    return { text: response.text, etag: etagOf(response) };
  }

  /**
   * `POST /tailnet/{tailnet}/acl/validate`: the control plane parses the document and runs its
   * `tests` against the tailnet's real devices, changing nothing. An empty object is a pass;
   * otherwise `{message, data: [{user, errors | warnings}]}`.
   */
  async validatePolicy(text: string): Promise<ControlPlaneVerdict> {
    const response = await this.#call(
      'POST',
      'acl/validate',
      'validating the policy',
      { 'Content-Type': 'application/hujson', Accept: 'application/json' },
      text,
    );
    const body = parseJson(response.text) as ValidateBody | undefined;
    const errors: string[] = [];
    const warnings: string[] = [];
    for (const item of body?.data ?? []) {
      const who = item.user ? `${item.user}: ` : '';
      for (const error of item.errors ?? []) errors.push(redact(`${who}${error}`));
      for (const warning of item.warnings ?? []) warnings.push(redact(`${who}${warning}`));
    }
    const message =
      typeof body?.message === 'string' && body.message !== '' ? redact(body.message) : undefined;
    const ok = errors.length === 0 && (message === undefined || warnings.length > 0);
    return { ok, ...(message !== undefined && { message }), errors, warnings };
  }

  /** `GET /tailnet/{tailnet}/devices?fields=all`: every device, with its advertised routes. */
  async listDevices(): Promise<readonly ApiDevice[]> {
    const response = await this.#call('GET', 'devices?fields=all', 'listing the devices', {
      Accept: 'application/json',
    });
    const body = parseJson(response.text) as { devices?: unknown } | undefined;
    if (!Array.isArray(body?.devices)) {
      throw new CliError(
        `the Tailscale API answered the device list with no "devices" list (${response.status})`,
      );
    }
    return body.devices as ApiDevice[];
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    what: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<HttpResponse> {
    const base = this.#settings.baseUrl.href.replace(/\/+$/, '');
    const url = new URL(`${base}/api/v2/tailnet/${encodeURIComponent(this.#settings.tailnet)}/${path}`);
    const send = async (): Promise<HttpResponse> =>
      this.#transport.send({
        method,
        url,
        headers: { ...headers, Authorization: await this.#auth.authorization() },
        ...(body !== undefined && { body }),
      });
    let response = await send();
    if (response.status === 401 && this.#settings.credentials.kind === 'oauth') {
      // The token may have been revoked or expired early: fetch a new one, once.
      this.#auth.invalidate();
      response = await send();
    }
    if (response.status >= 200 && response.status < 300) return response;
    throw this.#failure(response, method, url, what);
  }

  #failure(response: HttpResponse, method: string, url: URL, what: string): CliError {
    const { status } = response;
    const detail = apiMessage(response.text);
    const said = detail ? `: ${detail}` : '';
    const where = `${method} ${url.href}`;
    const credentials =
      this.#settings.credentials.kind === 'api-key'
        ? 'TAILSCALE_API_KEY'
        : 'TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET';
    switch (status) {
      case 401:
        return new CliError(
          `the Tailscale API refused the credentials (401 Unauthorized) ${what} (${where})${said}; check ${credentials}: the key may be mistyped, expired or revoked`,
        );
      case 403:
        return new CliError(
          `the credentials may not do this (403 Forbidden) ${what} (${where})${said}; an OAuth client needs the policy_file scope (and devices:core:read for the device list), an API key an admin's rights`,
        );
      case 404:
        return new CliError(
          `the Tailscale API knows no tailnet ${JSON.stringify(this.#settings.tailnet)} (404 Not Found) ${what} (${where})${said}; check TAILSCALE_TAILNET (or \`--tailnet\`), or use "-" for the credentials' own tailnet`,
        );
      case 412:
        return new PolicyChangedError(
          `the tailnet policy changed since it was pulled (412 Precondition Failed) ${what}${said}; nothing was written. Run \`tailkube diff\` to see the edit, \`tailkube pull\` to take it into the base policy and synthesize again, or \`tailkube apply --force\` to overwrite it`,
        );
      case 429: {
        const after = response.headers.get('retry-after');
        return new CliError(
          `the Tailscale API is rate limiting these calls (429 Too Many Requests) ${what} (${where}), still after ${response.attempts} attempts${after === null ? '' : `; it asks to retry after ${after} s`}`,
        );
      }
      default:
        return new CliError(
          `the Tailscale API failed ${what} (${status}) (${where})${said}${status >= 500 ? `, after ${response.attempts} attempts` : ''}`,
        );
    }
  }
}

interface ValidateBody {
  readonly message?: unknown;
  readonly data?: readonly {
    readonly user?: string;
    readonly errors?: string[];
    readonly warnings?: string[];
  }[];
}

function etagOf(response: HttpResponse): string {
  const etag = response.headers.get('etag');
  if (etag === null || etag === '') {
    throw new CliError(
      `the Tailscale API answered with no ETag header (${response.status}); cannot guard the write`,
    );
  }
  return etag;
}

/** The API's error text: `{"message": ..., "data": [{"user", "errors"}]}`, redacted. */
function apiMessage(text: string): string {
  const body = parseJson(text) as ValidateBody | undefined;
  if (typeof body?.message !== 'string') return '';
  const details = (body.data ?? []).flatMap((item) =>
    (item.errors ?? []).map((error) => (item.user ? `${item.user}: ${error}` : error)),
  );
  return redact([body.message, ...details].join('; '));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
