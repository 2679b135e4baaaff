import { CliError } from '../src/errors';
import { proxyFor, resolveApiSettings } from '../src/settings';

describe('resolveApiSettings', () => {
  test("takes the providers' environment names, with the documented defaults", () => {
    const settings = resolveApiSettings({ TAILSCALE_API_KEY: 'api-key-for-this-test' }, {});

    expect(settings).toStrictEqual({
      baseUrl: new URL('https://api.tailscale.com'),
      tailnet: '-',
      credentials: { kind: 'api-key', apiKey: 'api-key-for-this-test' },
      timeoutMs: 30_000,
    });
  });

  test('prefers the OAuth client, and flags over the environment', () => {
    const settings = resolveApiSettings(
      {
        TAILSCALE_API_KEY: 'api-key-for-this-test',
        TAILSCALE_OAUTH_CLIENT_ID: 'k1',
        TAILSCALE_OAUTH_CLIENT_SECRET: 'client-secret-for-this-test',
        TAILSCALE_TAILNET: 'env.example',
        TAILSCALE_BASE_URL: 'http://env.invalid',
      },
      { tailnet: 'flag.example', baseUrl: 'http://127.0.0.1:8080', oauthClientId: 'k2', timeout: '2.5' },
    );

    expect(settings).toStrictEqual({
      baseUrl: new URL('http://127.0.0.1:8080'),
      tailnet: 'flag.example',
      credentials: { kind: 'oauth', clientId: 'k2', clientSecret: 'client-secret-for-this-test' },
      timeoutMs: 2500,
    });
  });

  test.each([
    [
      {},
      {},
      'no Tailscale API credentials: set TAILSCALE_API_KEY, or TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET',
    ],
    [{ TAILSCALE_OAUTH_CLIENT_SECRET: 's3cr3t-s3cr3t' }, {}, 'TAILSCALE_OAUTH_CLIENT_ID is not set'],
    [
      { TAILSCALE_API_KEY: 'k', TAILSCALE_BASE_URL: 'ftp://x' },
      {},
      '`TAILSCALE_BASE_URL` (or `--base-url`) must be an http(s) URL such as "https://api.tailscale.com", got "ftp://x"',
    ],
    [
      { TAILSCALE_API_KEY: 'k' },
      { timeout: '0' },
      '`--timeout` must be a number of seconds above 0 such as "30", got "0"',
    ],
  ])('fails when the settings are unusable (%#)', (env, flags, message) => {
    expect(() => resolveApiSettings(env, flags)).toThrow(CliError);
    expect(() => resolveApiSettings(env, flags)).toThrow(message);
  });
});

describe('proxyFor', () => {
  test('names the proxy for the API scheme, never its credentials', () => {
    const env = { HTTPS_PROXY: 'http://user:pa55w0rd@proxy.internal:3128', http_proxy: 'http://plain:8080' };

    expect(proxyFor(env, new URL('https://api.tailscale.com'))).toBe(
      'HTTPS_PROXY http://proxy.internal:3128',
    );
    expect(proxyFor(env, new URL('http://127.0.0.1:1234'))).toBe('HTTP_PROXY http://plain:8080');
    expect(proxyFor({}, new URL('https://api.tailscale.com'))).toBeUndefined();
  });
});
