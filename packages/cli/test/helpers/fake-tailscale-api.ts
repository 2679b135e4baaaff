import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseHujson } from '@tailkube/policy';
import { keyShaped } from './key-shaped';

/**
 * A local stand-in for the Tailscale API (v2) on 127.0.0.1, implementing the documented contract
 * the CLI relies on: the policy file with ETags (changed on every write, quoted), `If-Match` and
 * 412, HuJSON kept verbatim, `/acl/validate`, the device list, the OAuth token endpoint, and the
 * error shape `{"message": ...}`. Faults (429 with `Retry-After`, a hanging call) are injected.
 */
export class FakeTailscaleApi {
  static readonly API_KEY = keyShaped('api', 'test-fake-api-key-0123456789');
  static readonly CLIENT_ID = 'kFAKEOAUTH1CNTRL';
  static readonly CLIENT_SECRET = keyShaped('client', 'test-fake-client-secret-0123456789');
  static readonly TAILNET = 'example.com';

  policy: string;
  devices: readonly object[] = [];
  /** A reason the control plane rejects a document for, as `/acl/validate` and a write say it. */
  reject: ((text: string) => string | undefined) | undefined;
  /** Answer the next this-many calls with 429 and `Retry-After: 1`. */
  rateLimitNext = 0;
  /** Paths (such as `/api/v2/tailnet/-/acl`) that never answer. */
  readonly hang = new Set<string>();
  /** Seconds an issued OAuth token lasts. */
  tokenLifetime = 3600;
  /** Every call, in order: method, path, and the headers the contract is about. */
  readonly calls: {
    method: string;
    path: string;
    ifMatch?: string;
    accept?: string;
    contentType?: string;
  }[] = [];
  readonly tokensIssued: string[] = [];

  #version = 1;
  readonly #server = http.createServer((req, res) => this.#handle(req, res));
  readonly #hanging = new Set<http.ServerResponse>();

  constructor(policy: string) {
    this.policy = policy;
  }

  /** The current ETag, quoted as the API sends it. */
  get etag(): string {
    return `"${(0xe0b2816b400 + this.#version).toString(16)}"`;
  }

  /** The base URL, once listening. */
  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Someone edits the policy in the admin console. */
  editInConsole(text: string): void {
    this.policy = text;
    this.#version += 1;
  }

  start(): Promise<void> {
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    return new Promise((resolve, reject) =>
      this.#server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.calls.push({
        method: req.method ?? '',
        path: url.pathname,
        ...(req.headers['if-match'] !== undefined && { ifMatch: req.headers['if-match'] }),
        ...(req.headers.accept !== undefined && { accept: req.headers.accept }),
        ...(req.headers['content-type'] !== undefined && { contentType: req.headers['content-type'] }),
      });
      if (this.hang.has(url.pathname)) {
        this.#hanging.add(res);
        return;
      }
      if (this.rateLimitNext > 0) {
        this.rateLimitNext -= 1;
        return send(res, 429, { message: 'rate limit exceeded' }, { 'Retry-After': '1' });
      }
      this.#route(req, url, Buffer.concat(chunks).toString('utf8'), res);
    });
  }

  #route(req: http.IncomingMessage, url: URL, body: string, res: http.ServerResponse): void {
    if (req.method === 'POST' && url.pathname === '/api/v2/oauth/token') return this.#token(body, res);
    if (!this.#authorized(req.headers.authorization)) return send(res, 401, { message: 'API token invalid' });
    const match = /^\/api\/v2\/tailnet\/([^/]+)\/(acl|acl\/validate|devices)$/.exec(url.pathname);
    if (!match) return send(res, 404, { message: 'not found' });
    const [, tailnet, resource] = match;
    if (tailnet !== '-' && tailnet !== FakeTailscaleApi.TAILNET)
      return send(res, 404, { message: 'tailnet not found' });
    if (resource === 'devices' && req.method === 'GET') return send(res, 200, { devices: this.devices });
    if (resource === 'acl' && req.method === 'GET') return this.#readPolicy(req, res);
    if (resource === 'acl' && req.method === 'POST') return this.#writePolicy(req, body, res);
    if (resource === 'acl/validate' && req.method === 'POST') {
      const fault = this.#fault(body);
      // A failing document is a 200 with a message and per-user errors; a pass is `{}`.
      return send(
        res,
        200,
        fault ? { message: 'test(s) failed', data: [{ user: '', errors: [fault] }] } : {},
      );
    }
    send(res, 405, { message: 'method not allowed' });
  }

  #readPolicy(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.headers.accept === 'application/hujson') {
      res.writeHead(200, { 'Content-Type': 'application/hujson', ETag: this.etag });
      res.end(this.policy);
      return;
    }
    const parsed = parseHujson(this.policy);
    send(res, 200, parsed.ok ? parsed.value : {}, { ETag: this.etag });
  }

  #writePolicy(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined && ifMatch !== this.etag) {
      return send(res, 412, { message: 'precondition failed, invalid old hash' });
    }
    const fault = this.#fault(body);
    if (fault) return send(res, 400, { message: fault });
    this.policy = body;
    this.#version += 1;
    res.writeHead(200, { 'Content-Type': 'application/hujson', ETag: this.etag });
    res.end(this.policy);
  }

  #fault(text: string): string | undefined {
    const parsed = parseHujson(text);
    if (!parsed.ok) return `line ${parsed.fault.line}, column ${parsed.fault.column}: ${parsed.fault.error}`;
    return this.reject?.(text);
  }

  #token(body: string, res: http.ServerResponse): void {
    const form = new URLSearchParams(body);
    if (
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_id') !== FakeTailscaleApi.CLIENT_ID ||
      form.get('client_secret') !== FakeTailscaleApi.CLIENT_SECRET
    ) {
      return send(res, 401, { error: 'invalid_client' });
    }
    const token = keyShaped(
      'access',
      `${FakeTailscaleApi.CLIENT_ID}-${this.tokensIssued.length + 1}-test-token`,
    );
    this.tokensIssued.push(token);
    send(res, 200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: this.tokenLifetime,
      scope: 'policy_file devices:core:read',
    });
  }

  #authorized(header: string | undefined): boolean {
    if (header === undefined) return false;
    const basic = `Basic ${Buffer.from(`${FakeTailscaleApi.API_KEY}:`).toString('base64')}`;
    if (header === basic) return true;
    return header.startsWith('Bearer ') && this.tokensIssued.includes(header.slice('Bearer '.length));
  }
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
