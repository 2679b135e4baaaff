import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { FakeTailscaleApi } from './helpers/fake-tailscale-api';
import { KEY_SHAPE, keyShaped } from './helpers/key-shaped';
import { buildCli, tailkube, workspaceWith } from './helpers/run-cli';

/** The live policy: the base the golden `apiserver-proxy-readers` output was synthesized from. */
const LIVE_POLICY = `{
  "tagOwners": {
    // Admins own the operator's tag.
    "tag:k8s-operator": ["autogroup:admin"],
  },
}
`;

/** The same policy after an admin added a host in the console. */
const EDITED_POLICY = `{
  "hosts": {
    // The database, added in the console.
    "db": "100.64.0.10",
  },
  "tagOwners": {
    // Admins own the operator's tag.
    "tag:k8s-operator": ["autogroup:admin"],
  },
}
`;

const EXAMPLE = 'apiserver-proxy-readers';

// Each test runs the executable a few times; a shared machine can take a second per start.
jest.setTimeout(30_000);

let api: FakeTailscaleApi;
let cwd: string;
let env: Record<string, string>;

beforeAll(() => buildCli(), 180_000);

beforeEach(async () => {
  api = new FakeTailscaleApi(LIVE_POLICY);
  await api.start();
  cwd = workspaceWith(EXAMPLE);
  env = { TAILSCALE_API_KEY: FakeTailscaleApi.API_KEY, TAILSCALE_BASE_URL: api.url };
});

afterEach(async () => {
  await api.stop();
  fs.rmSync(cwd, { recursive: true, force: true });
});

const read = (file: string): string => fs.readFileSync(path.join(cwd, file), 'utf8');
const record = (): { etag: string; by: string; tailnet: string } =>
  JSON.parse(read('tailnet-base.etag.json')) as { etag: string; by: string; tailnet: string };

/** No secret the test handed the command appears in what it printed. */
function expectNoSecrets(...outputs: readonly string[]): void {
  for (const output of outputs) {
    expect(output).not.toContain(FakeTailscaleApi.API_KEY);
    expect(output).not.toContain(FakeTailscaleApi.CLIENT_SECRET);
    for (const token of api.tokensIssued) expect(output).not.toContain(token);
    expect(output).not.toMatch(KEY_SHAPE);
  }
}

test('pull, diff, apply, diff: the program policy reaches the tailnet and the diff is then empty', async () => {
  api.devices = [
    {
      addresses: ['100.101.1.1', 'fd7a:115c:a1e0::1:101'],
      name: 'alice-laptop.example.ts.net',
      hostname: 'alice-laptop',
      user: 'alice@example.com',
      tags: [],
    },
    {
      addresses: ['100.101.1.2', 'fd7a:115c:a1e0::1:102'],
      name: 'tailscale-operator.example.ts.net',
      hostname: 'tailscale-operator',
      user: 'alice@example.com',
      tags: ['tag:k8s-operator'],
      advertisedRoutes: [],
    },
  ];
  // GIVEN / WHEN: the live policy is pulled as the base
  const pulled = await tailkube(['pull'], cwd, env);

  // THEN: written verbatim (comments kept), read as HuJSON, its ETag recorded
  expect(pulled).toMatchObject({ status: 0, stderr: '' });
  expect(read('tailnet-base.hujson')).toBe(LIVE_POLICY);
  expect(record()).toStrictEqual({ tailnet: '-', etag: api.etag, sha256: expect.any(String), by: 'pull' });
  expect(api.calls[0]).toMatchObject({
    method: 'GET',
    path: '/api/v2/tailnet/-/acl',
    accept: 'application/hujson',
  });

  // WHEN: the synthesized policy is compared with the live one
  const diff = await tailkube(['diff'], cwd, env);

  // THEN: exit 2, the added entries by section, the access they give
  expect(diff.status).toBe(2);
  expect(diff.stdout).toContain(`Tailnet "-" at ETag ${api.etag}, against dist/tailnet-policy.hujson.`);
  expect(diff.stdout).toContain('\n  tagOwners\n');
  expect(diff.stdout).toContain("+    // tailkube: TailscaleOperator 'operator/tailscale'");
  expect(diff.stdout).toContain('\n  grants\n');
  expect(diff.stdout).toContain(
    'Access (evaluated offline on 2 devices of the tailnet and stand-ins for the tags and users the policies name):\n' +
      '  - * -> *                                *  denied\n' +
      '  + autogroup:admin -> tag:k8s-operator   tailscale.com/cap/kubernetes  allowed\n' +
      '  + autogroup:member -> tag:k8s-operator  tailscale.com/cap/kubernetes  allowed\n',
  );
  expect(diff.stdout).toContain('2 sections differ, 3 access changes');
  expect(diff.stdout).not.toContain('Drift');

  // WHEN: applied
  const pulledEtag = api.etag;
  const applied = await tailkube(['apply'], cwd, env);

  // THEN: written with If-Match of the pulled ETag; the new ETag recorded
  expect(applied).toMatchObject({ status: 0, stderr: '' });
  expect(api.policy).toBe(read('dist/tailnet-policy.hujson'));
  expect(api.calls.filter((c) => c.method === 'POST')).toStrictEqual([
    {
      method: 'POST',
      path: '/api/v2/tailnet/-/acl',
      ifMatch: pulledEtag,
      accept: 'application/hujson',
      contentType: 'application/hujson',
    },
  ]);
  expect(api.etag).not.toBe(pulledEtag);
  expect(record()).toMatchObject({ etag: api.etag, by: 'apply' });

  // WHEN / THEN: nothing left to change
  const again = await tailkube(['diff', '--json'], cwd, env);
  expect(again.status).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({
    changed: false,
    sections: [],
    access: [],
    drift: { state: 'none', etag: api.etag },
  });

  // WHEN: pulled again after the apply
  const repulled = await tailkube(['pull'], cwd, env);

  // THEN: the base holds the user's entries only; the program's own write is not drift
  expect(repulled.stdout).toContain('Left out the 3 entries a tailkube program owns ("// tailkube:")');
  expect(read('tailnet-base.hujson')).not.toContain('tailkube:');
  expect(read('tailnet-base.hujson')).toContain('"tag:k8s-operator": ["autogroup:admin"],');
  api.editInConsole(
    api.policy.replace('"tagOwners": {', '"hosts": {"db": "100.64.0.10"},\n  "tagOwners": {'),
  );
  const drifted = await tailkube(['diff'], cwd, env);
  expect(drifted.stdout).toContain('\n  + hosts: {"db":"100.64.0.10"}\n  Take the edit');
  expectNoSecrets(pulled.stdout, diff.stdout, applied.stdout, again.stdout, repulled.stdout);
}, 60_000);

test('a console edit after the pull: diff names it, apply is refused and loses nothing', async () => {
  // GIVEN: pulled, then edited in the admin console
  expect((await tailkube(['pull'], cwd, env)).status).toBe(0);
  const pulledEtag = api.etag;
  api.editInConsole(EDITED_POLICY);

  // WHEN
  const diff = await tailkube(['diff'], cwd, env);
  const applied = await tailkube(['apply'], cwd, env);

  // THEN: the drift is named; the write was conditioned on the pulled ETag and refused
  expect(diff.status).toBe(2);
  expect(diff.stdout).toContain(
    `Drift: the live policy was edited since ETag ${pulledEtag}:\n  + hosts: {"db":"100.64.0.10"}\n`,
  );
  expect(applied.status).toBe(1);
  expect(applied.stderr).toBe(
    'tailkube: error: the tailnet policy changed since it was pulled (412 Precondition Failed) writing the tailnet policy: precondition failed, invalid old hash; nothing was written. Run `tailkube diff` to see the edit, `tailkube pull` to take it into the base policy and synthesize again, or `tailkube apply --force` to overwrite it\n',
  );
  expect(api.policy).toBe(EDITED_POLICY);
  expect(record()).toMatchObject({ etag: pulledEtag, by: 'pull' });

  // WHEN / THEN: --force is the way past it, without If-Match
  const forced = await tailkube(['apply', '--force'], cwd, env);
  expect(forced.status).toBe(0);
  expect(api.calls.filter((c) => c.method === 'POST').map((c) => c.ifMatch)).toStrictEqual([
    pulledEtag,
    undefined,
  ]);
  expect(api.policy).toBe(read('dist/tailnet-policy.hujson'));
}, 60_000);

test('authenticates with an OAuth client, renewing a token that is about to expire', async () => {
  // GIVEN: tokens that expire within the renewal margin
  api.tokenLifetime = 30;
  const oauth = {
    TAILSCALE_OAUTH_CLIENT_ID: FakeTailscaleApi.CLIENT_ID,
    TAILSCALE_OAUTH_CLIENT_SECRET: FakeTailscaleApi.CLIENT_SECRET,
    TAILSCALE_BASE_URL: api.url,
    TAILSCALE_TAILNET: FakeTailscaleApi.TAILNET,
  };

  // WHEN: two calls (the policy, the devices)
  const run = await tailkube(['pull'], cwd, oauth);
  const diff = await tailkube(['diff'], cwd, oauth);

  // THEN
  expect(run.status).toBe(0);
  expect(diff.status).toBe(2);
  expect(api.calls.filter((c) => c.path === '/api/v2/oauth/token')).toHaveLength(3);
  expect(api.calls.filter((c) => c.path.startsWith('/api/v2/tailnet/example.com/'))).toHaveLength(3);
  expectNoSecrets(run.stdout, run.stderr, diff.stdout, diff.stderr);
}, 60_000);

test('fails when no credentials are set, naming the variables', async () => {
  const run = await tailkube(['pull'], cwd, { TAILSCALE_BASE_URL: api.url });

  expect(run).toStrictEqual({
    status: 1,
    stdout: '',
    stderr:
      'tailkube: error: no Tailscale API credentials: set TAILSCALE_API_KEY, or TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET (an OAuth client with the policy_file scope)\n',
  });
  expect(api.calls).toStrictEqual([]);
});

test('fails when only half an OAuth client is set, naming the missing variable', async () => {
  const run = await tailkube(['pull'], cwd, {
    TAILSCALE_OAUTH_CLIENT_ID: 'k123',
    TAILSCALE_BASE_URL: api.url,
  });

  expect(run.status).toBe(1);
  expect(run.stderr).toContain('TAILSCALE_OAUTH_CLIENT_SECRET is not set');
});

test('fails when the API refuses the key, without printing it', async () => {
  const wrong = keyShaped('api', 'test-wrong-api-key-0123456789');

  const run = await tailkube(['pull'], cwd, { ...env, TAILSCALE_API_KEY: wrong });

  expect(run.status).toBe(1);
  expect(run.stderr).toBe(
    `tailkube: error: the Tailscale API refused the credentials (401 Unauthorized) reading the tailnet policy (GET ${api.url}/api/v2/tailnet/-/acl): API token invalid; check TAILSCALE_API_KEY: the key may be mistyped, expired or revoked\n`,
  );
  expect(run.stderr).not.toContain(wrong);
  expect(fs.existsSync(path.join(cwd, 'tailnet-base.hujson'))).toBe(false);
});

test('fails when the API refuses the OAuth client, without printing its secret', async () => {
  const secret = keyShaped('client', 'test-wrong-client-secret-0123456789');

  const run = await tailkube(['pull'], cwd, {
    TAILSCALE_OAUTH_CLIENT_ID: FakeTailscaleApi.CLIENT_ID,
    TAILSCALE_OAUTH_CLIENT_SECRET: secret,
    TAILSCALE_BASE_URL: api.url,
  });

  expect(run.status).toBe(1);
  expect(run.stderr).toContain('refused the OAuth client credentials (401)');
  expect(run.stderr).toContain('check TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET');
  expect(run.stderr).not.toContain(secret);
});

test('fails when the tailnet does not exist (404), naming TAILSCALE_TAILNET', async () => {
  const run = await tailkube(['pull', '--tailnet', 'nope.example'], cwd, env);

  expect(run.status).toBe(1);
  expect(run.stderr).toContain('knows no tailnet "nope.example" (404 Not Found)');
  expect(run.stderr).toContain('check TAILSCALE_TAILNET');
});

test('waits out a 429 as Retry-After asks, then succeeds', async () => {
  api.rateLimitNext = 1;
  const started = Date.now();

  const run = await tailkube(['pull'], cwd, env);

  expect(run.status).toBe(0);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(api.calls.map((c) => c.path)).toStrictEqual(['/api/v2/tailnet/-/acl', '/api/v2/tailnet/-/acl']);
});

test('fails with a clear error when rate limited on every retry', async () => {
  api.rateLimitNext = 100;

  const run = await tailkube(['pull'], cwd, env);

  expect(run.status).toBe(1);
  expect(run.stderr).toBe(
    `tailkube: error: the Tailscale API is rate limiting these calls (429 Too Many Requests) reading the tailnet policy (GET ${api.url}/api/v2/tailnet/-/acl), still after 4 attempts; it asks to retry after 1 s\n`,
  );
  expect(api.calls).toHaveLength(4);
}, 30_000);

test('a policy the control plane rejects: check --live fails, apply writes nothing', async () => {
  // GIVEN: the control plane refuses the tag the operator's proxies use
  api.reject = (text) =>
    text.includes('"tag:k8s"') ? 'tagOwners: "tag:k8s" is reserved in this tailnet' : undefined;
  expect((await tailkube(['pull'], cwd, env)).status).toBe(0);

  // WHEN
  const check = await tailkube(['check', '--live'], cwd, env);
  const applied = await tailkube(['apply'], cwd, env);

  // THEN
  expect(check.status).toBe(1);
  expect(check.stdout).toContain('  ok      the control plane would accept the policy\n');
  expect(check.stdout).toContain(
    '  FAILED  test(s) failed\n          tagOwners: "tag:k8s" is reserved in this tailnet\n',
  );
  expect(applied.status).toBe(1);
  expect(applied.stderr).toContain('failed writing the tailnet policy (400)');
  expect(applied.stderr).toContain('tagOwners: "tag:k8s" is reserved in this tailnet');
  expect(api.policy).toBe(LIVE_POLICY);
}, 30_000);

test('check passes on the golden output, offline and live', async () => {
  const run = await tailkube(['check', '--live', '--json'], cwd, env);

  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({
    ok: true,
    offline: { ok: true, faults: [], intents: [{ ok: true }, { ok: true }, { ok: true }] },
    live: { ok: true, errors: [], warnings: [] },
  });
  expect(api.calls).toMatchObject([{ method: 'POST', path: '/api/v2/tailnet/-/acl/validate' }]);
});

test('apply refuses a policy that fails offline, without calling the API', async () => {
  const policy = path.join(cwd, 'dist/tailnet-policy.hujson');
  fs.writeFileSync(
    policy,
    '{"grants": [{"src": ["group:nobody"], "dst": ["tag:db"], "ip": ["tcp:5432"]}]}\n',
  );
  expect((await tailkube(['pull'], cwd, env)).status).toBe(0);

  const applied = await tailkube(['apply'], cwd, env);

  expect(applied.status).toBe(1);
  expect(applied.stdout).toContain('  FAILED  grants[0].src[0]:');
  expect(applied.stderr).toBe('tailkube: error: the policy fails the offline checks; nothing was written\n');
  expect(api.calls.filter((c) => c.method === 'POST')).toStrictEqual([]);
});

test('a server that hangs: the call times out with a clear error', async () => {
  api.hang.add('/api/v2/tailnet/-/acl');
  const started = Date.now();

  const run = await tailkube(['pull', '--timeout', '1'], cwd, env);

  expect(run.status).toBe(1);
  expect(run.stderr).toBe(
    `tailkube: error: the Tailscale API did not answer GET ${api.url}/api/v2/tailnet/-/acl within 1 s; raise \`--timeout\` if it is slow, or check the network\n`,
  );
  expect(Date.now() - started).toBeLessThan(10_000);
});

test('an unreachable API: the error names the URL', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));

  const run = await tailkube(['diff'], cwd, { ...env, TAILSCALE_BASE_URL: `http://127.0.0.1:${port}` });

  expect(run.status).toBe(1);
  expect(run.stderr).toContain(
    `tailkube: error: cannot reach the Tailscale API at http://127.0.0.1:${port} (GET http://127.0.0.1:${port}/api/v2/tailnet/-/acl): connect ECONNREFUSED`,
  );
});

test('goes through the proxy HTTP_PROXY names', async () => {
  // GIVEN: a proxy that tunnels (CONNECT, as for HTTPS_PROXY) or forwards, and records what it carries
  const carried: string[] = [];
  const proxy = http.createServer((req, res) => {
    carried.push(`${req.method} ${req.url}`);
    const upstream = http.request(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    carried.push(`${req.method} ${req.url}`);
    const [host = '', port = ''] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;

  try {
    const run = await tailkube(['pull'], cwd, { ...env, HTTP_PROXY: `http://127.0.0.1:${port}` });

    expect(run.status).toBe(0);
    expect(carried).toHaveLength(1);
    expect(carried[0]).toMatch(
      new RegExp(`^(CONNECT ${api.url.slice('http://'.length)}|GET ${api.url}/api/v2/tailnet/-/acl)$`),
    );
  } finally {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  }
});

test('fails when DIR holds no synthesized policy', async () => {
  fs.mkdirSync(path.join(cwd, 'empty'));

  const run = await tailkube(['diff', 'empty'], cwd, env);

  expect(run.status).toBe(1);
  expect(run.stderr).toBe(
    'tailkube: error: no synthesized policy in empty: empty has no tailnet-policy.hujson; synthesize the program first (`cdk8s synth` writes it to dist/), or name its output directory\n',
  );
  expect(api.calls).toStrictEqual([]);
});

test('fails when the base file is malformed, naming the file and the place', async () => {
  fs.writeFileSync(
    path.join(cwd, 'tailnet-base.hujson'),
    '{\n  "grants": [\n    {"src": ["*"] "dst": ["*"]},\n  ],\n}\n',
  );

  const run = await tailkube(['diff'], cwd, env);

  expect(run.status).toBe(1);
  expect(run.stderr).toBe(
    'tailkube: error: tailnet-base.hujson is not valid HuJSON: CommaExpected at line 3, column 19; fix it, or run `tailkube pull` to fetch it again\n',
  );
});

test('access prints who can reach what offline, in each format', async () => {
  const [table, mermaid, json, bad] = await Promise.all([
    tailkube(['access'], cwd),
    tailkube(['access', '--format', 'mermaid'], cwd),
    tailkube(['access', '--json'], cwd),
    tailkube(['access', '--format', 'svg'], cwd),
  ]);

  expect(table).toStrictEqual({
    status: 0,
    stderr: '',
    stdout:
      'SOURCE             DESTINATION        PORTS     CAPABILITIES                   CONSTRUCTS\n' +
      "autogroup:admin    tag:k8s-operator   tcp:443   tailscale.com/cap/kubernetes   ApiServerProxy 'access/kubectl'\n" +
      "autogroup:member   tag:k8s-operator   tcp:443   tailscale.com/cap/kubernetes   ApiServerProxy 'access/kubectl'\n",
  });
  expect(mermaid.stdout).toBe(
    'flowchart LR\n' +
      '  n0["autogroup:admin"]\n' +
      '  n1["tag:k8s-operator"]\n' +
      '  n2["autogroup:member"]\n' +
      '  n0 -->|"tcp:443, tailscale.com/cap/kubernetes"| n1\n' +
      '  n2 -->|"tcp:443, tailscale.com/cap/kubernetes"| n1\n',
  );
  expect(JSON.parse(json.stdout)).toStrictEqual([
    {
      src: 'autogroup:admin',
      dst: 'tag:k8s-operator',
      ports: ['tcp:443'],
      // Admins are members too.
      capabilities: {
        'tailscale.com/cap/kubernetes': [
          { impersonate: { groups: ['system:masters'] } },
          { impersonate: { groups: ['tailnet-readers'] } },
        ],
      },
      constructs: ["ApiServerProxy 'access/kubectl'"],
    },
    {
      src: 'autogroup:member',
      dst: 'tag:k8s-operator',
      ports: ['tcp:443'],
      capabilities: { 'tailscale.com/cap/kubernetes': [{ impersonate: { groups: ['tailnet-readers'] } }] },
      constructs: ["ApiServerProxy 'access/kubectl'"],
    },
  ]);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain(
    "option '--format <format>' argument 'svg' is invalid. Allowed choices are table, markdown, mermaid, json.",
  );
});

test('every command describes itself with --help and exits 0', async () => {
  const commands = ['pull', 'diff', 'check', 'apply', 'access'];

  const runs = await Promise.all(commands.map((command) => tailkube([command, '--help'], cwd)));

  for (const [index, run] of runs.entries()) {
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: tailkube ${commands[index]} \\[options\\]`));
  }
});
