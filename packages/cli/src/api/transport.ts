import type { Dispatcher, fetch as undiciFetch } from 'undici';
import { CliError } from '../errors';

/** One HTTP call to the Tailscale API. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The answer, read whole: policy files and device lists are small. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** How many times the call was sent (more than once after a 429 or a 5xx). */
  readonly attempts: number;
}

/** How calls are retried and how long each may take. */
export interface TransportOptions {
  /** Per call (connect, headers and body together). */
  readonly timeoutMs: number;
  /**
   * Sends after the first, for a 429 or a 5xx answer.
   *
   * @default 3
   */
  readonly retries?: number;
  /**
   * The first backoff when the answer names no `Retry-After`; it doubles on each retry.
   *
   * @default 500
   */
  readonly backoffMs?: number;
  /**
   * The proxy the calls go through, as errors name it (`HTTPS_PROXY http://proxy:3128`).
   *
   * @default - none
   */
  readonly proxy?: string;
}

/** Answers worth another try: rate limited, or the server failed rather than refused. */
const RETRIED = new Set([429, 500, 502, 503, 504]);
/** A `Retry-After` longer than this is not waited for: the error says when to come back. */
const MAX_WAIT_MS = 60_000;

/**
 * Sends requests with a timeout on every call, retries with backoff on 429 and 5xx (honouring
 * `Retry-After`), and goes through `HTTPS_PROXY`/`HTTP_PROXY` (minus `NO_PROXY`) when set, which
 * Node's own `fetch` ignores.
 */
export class Transport {
  readonly #options: Required<Omit<TransportOptions, 'proxy'>> & TransportOptions;
  #client: Promise<{ readonly fetch: typeof undiciFetch; readonly dispatcher: Dispatcher }> | undefined;

  constructor(options: TransportOptions) {
    this.#options = { retries: 3, backoffMs: 500, ...options };
  }

  /** undici, loaded on the first call: the offline commands start faster without it. */
  #undici(): Promise<{ readonly fetch: typeof undiciFetch; readonly dispatcher: Dispatcher }> {
    this.#client ??= import('undici').then(({ fetch, EnvHttpProxyAgent }) => ({
      fetch,
      dispatcher: new EnvHttpProxyAgent(),
    }));
    return this.#client;
  }

  /** The response to `request`, after retries; throws a {@link CliError} when none came. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt += 1) {
      const response = await this.#once(request, attempt);
      const wait = retryDelay(response, attempt, this.#options.backoffMs);
      if (!RETRIED.has(response.status) || attempt > this.#options.retries || wait > MAX_WAIT_MS) {
        return response;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async #once(request: HttpRequest, attempt: number): Promise<HttpResponse> {
    const { timeoutMs } = this.#options;
    const where = `${request.method} ${request.url.href}`;
    const { fetch, dispatcher } = await this.#undici();
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && { body: request.body }),
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher,
        redirect: 'error',
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, attempts: attempt };
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new CliError(
          `the Tailscale API did not answer ${where} within ${timeoutMs / 1000} s; raise \`--timeout\` if it is slow, or check the network`,
        );
      }
      const through = this.#options.proxy === undefined ? '' : ` through ${this.#options.proxy}`;
      throw new CliError(
        `cannot reach the Tailscale API at ${request.url.origin}${through} (${where}): ${cause(error)}`,
      );
    }
  }
}

/** How long to wait before the next try: the server's `Retry-After`, else exponential backoff. */
function retryDelay(response: HttpResponse, attempt: number, backoffMs: number): number {
  const header = response.headers.get('retry-after');
  if (header !== null) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return backoffMs * 2 ** (attempt - 1);
}

/** The network error behind undici's generic "fetch failed", in words. */
function cause(error: unknown): string {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (inner as { code?: unknown } | undefined)?.code;
  const message = inner instanceof Error ? inner.message : String(inner);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}
