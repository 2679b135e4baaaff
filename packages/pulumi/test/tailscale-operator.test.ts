import {
  Connector,
  OperatorCredentials,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
  type TailscaleOperatorArgs,
} from '@tailkube/pulumi';
import {
  captureOptions,
  capturedOf,
  containsSecret,
  dependsOn,
  indexOf,
  ofType,
  only,
  secretInput,
} from './helpers/pulumi';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const PROXY_IMAGE_ENV = { name: 'K8S_PROXY_IMAGE', value: 'tailscale/k8s-proxy:v1.102.3' };
const DEFAULT_VALUES = {
  operatorConfig: {
    defaultTags: ['tag:k8s-operator'],
    hostname: 'tailscale-operator',
    extraEnv: [PROXY_IMAGE_ENV],
  },
  proxyConfig: { defaultTags: 'tag:k8s' },
};

const NAMESPACE = 'kubernetes:core/v1:Namespace';
const CHART = 'kubernetes:helm.sh/v4:Chart';
const SECRET = 'kubernetes:core/v1:Secret';
const ACL = 'tailscale:index/acl:Acl';
const OAUTH_CLIENT = 'tailscale:index/oauthClient:OauthClient';
const FEDERATED_IDENTITY = 'tailscale:index/federatedIdentity:FederatedIdentity';

/** Runs one operator with `args` inside a tailnet program under mocks. */
function runOperator(args: TailscaleOperatorArgs = {}) {
  return runWithMocks(() =>
    tailnetProgram({}, () => {
      new TailscaleOperator('operator', args);
    }),
  );
}

/** Awaits `promise`, which must reject with a ValidationError, and returns it. */
async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error: unknown = await promise.then(
    () => new Error('expected a ValidationError, but nothing was thrown'),
    (e: unknown) => e,
  );
  expect(isValidationError(error)).toBe(true);
  return error as ValidationError;
}

describe('TailscaleOperator (Pulumi): namespace modes', () => {
  test('an existing namespace is not created; the chart and its Secret go into it by name', async () => {
    const run = await runOperator({ namespace: 'networking', namespaceMode: 'existing' });
    expect(ofType(run, NAMESPACE)).toStrictEqual([]);
    expect(only(run, CHART).inputs['namespace']).toBe('networking');
    expect((only(run, SECRET).inputs['metadata'] as Record<string, unknown>)['namespace']).toBe('networking');
  });

  test.each([
    ['no construct runs privileged proxies', false, {}],
    ['a Connector runs privileged proxies', true, { 'pod-security.kubernetes.io/enforce': 'privileged' }],
  ])('a shared namespace is labelled only when needed: %s', async (_, withConnector, label) => {
    // WHEN
    const run = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new TailscaleOperator('operator', { namespace: 'networking', namespaceMode: 'shared' });
        if (withConnector) new Connector('office', { exitNode: true });
      }),
    );

    // THEN
    expect(only(run, NAMESPACE).inputs['metadata']).toStrictEqual({
      name: 'networking',
      labels: { ...MANAGED, ...label },
    });
  });
});

describe('TailscaleOperator (Pulumi)', () => {
  test('defaults: a privileged namespace and the pinned chart with typed values', async () => {
    // WHEN
    const run = await runOperator();

    // THEN
    expect(only(run, 'tailkube:index:TailscaleOperator').name).toBe('operator');
    expect(only(run, NAMESPACE)).toStrictEqual({
      type: NAMESPACE,
      name: 'operator-namespace',
      inputs: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'tailscale',
          labels: { ...MANAGED, 'pod-security.kubernetes.io/enforce': 'privileged' },
        },
      },
    });
    expect(only(run, CHART)).toStrictEqual({
      type: CHART,
      name: 'operator',
      inputs: {
        chart: 'tailscale-operator',
        version: '1.102.3',
        repositoryOpts: { repo: 'https://pkgs.tailscale.com/helmcharts' },
        namespace: 'tailscale',
        values: DEFAULT_VALUES,
      },
    });
  });

  test('a new OAuth client with the least scopes and the operator tags, after the policy', async () => {
    // WHEN
    const run = await runOperator({ tags: ['tag:ops'] });

    // THEN
    expect(only(run, OAUTH_CLIENT)).toStrictEqual({
      type: OAUTH_CLIENT,
      name: 'tailnet-operator-oauth',
      inputs: {
        description: 'tailkube: Tailscale Kubernetes Operator',
        scopes: ['auth_keys', 'devices:core'],
        tags: ['tag:ops'],
      },
    });
    expect(indexOf(run, ACL)).toBeLessThan(indexOf(run, OAUTH_CLIENT));
    expect(ofType(run, FEDERATED_IDENTITY)).toStrictEqual([]);
  });

  test('the OAuth client reaches the cluster as a secret, and the chart values hold no credential', async () => {
    // WHEN
    const run = await runOperator({ namespace: 'ts' });

    // THEN
    expect(only(run, SECRET)).toStrictEqual({
      type: SECRET,
      name: 'operator-oauth',
      inputs: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'operator-oauth', namespace: 'ts' },
        stringData: secretInput({
          client_id: 'tailnet-operator-oauth-id',
          client_secret: 'mock-secret-of-tailnet-operator-oauth',
        }),
      },
    });
    const chart = only(run, CHART);
    expect(chart.inputs['values']).toStrictEqual(DEFAULT_VALUES);
    const text = JSON.stringify(chart.inputs);
    expect(text).not.toContain('mock-secret-of');
    expect(text).not.toContain('tailnet-operator-oauth-id');
    expect(containsSecret(chart.inputs)).toBe(false);
  });

  test('the chart depends on the namespace, the policy, the OAuth client and its Secret', async () => {
    // GIVEN
    const capture = captureOptions();

    // WHEN
    await runWithMocks(() => {
      const tailnet = new Tailnet('tailnet', {}, { transformations: [capture.transformation] });
      new TailscaleOperator('operator', { tailnet }, { transformations: [capture.transformation] });
      tailnet.seal();
    });

    // THEN
    const acl = capturedOf(capture.captured, ACL);
    const client = capturedOf(capture.captured, OAUTH_CLIENT);
    const namespace = capturedOf(capture.captured, NAMESPACE);
    const secret = capturedOf(capture.captured, SECRET);
    const chart = capturedOf(capture.captured, CHART);
    expect(await dependsOn(acl.opts)).toStrictEqual([]);
    expect(await dependsOn(client.opts)).toStrictEqual([acl.resource]);
    expect(await dependsOn(chart.opts)).toStrictEqual([
      namespace.resource,
      secret.resource,
      acl.resource,
      client.resource,
    ]);
  });

  test('an existing Secret: no OAuth client, the chart mounts the Secret and waits for the policy', async () => {
    // GIVEN
    const capture = captureOptions();

    // WHEN
    const run = await runWithMocks(() => {
      const tailnet = new Tailnet('tailnet', {}, { transformations: [capture.transformation] });
      new TailscaleOperator(
        'operator',
        { tailnet, credentials: OperatorCredentials.fromSecret('tailscale-oauth') },
        { transformations: [capture.transformation] },
      );
      tailnet.seal();
    });

    // THEN
    expect(ofType(run, OAUTH_CLIENT)).toStrictEqual([]);
    expect(ofType(run, FEDERATED_IDENTITY)).toStrictEqual([]);
    expect(ofType(run, SECRET)).toStrictEqual([]);
    expect(only(run, CHART).inputs['values']).toStrictEqual({
      oauthSecretVolume: { secret: { secretName: 'tailscale-oauth' } },
      ...DEFAULT_VALUES,
    });
    const chart = capturedOf(capture.captured, CHART);
    expect(await dependsOn(chart.opts)).toStrictEqual([
      capturedOf(capture.captured, NAMESPACE).resource,
      capturedOf(capture.captured, ACL).resource,
    ]);
  });

  test('workload identity: a federated identity for the operator service account, no secret', async () => {
    // WHEN
    const run = await runOperator({
      namespace: 'ts',
      tags: ['tag:ops'],
      credentials: OperatorCredentials.workloadIdentity({ issuer: 'https://oidc.example.com/cluster' }),
    });

    // THEN
    expect(only(run, FEDERATED_IDENTITY)).toStrictEqual({
      type: FEDERATED_IDENTITY,
      name: 'tailnet-operator-identity',
      inputs: {
        description: 'tailkube: Tailscale Kubernetes Operator',
        issuer: 'https://oidc.example.com/cluster',
        subject: 'system:serviceaccount:ts:operator',
        scopes: ['auth_keys', 'devices:core'],
        tags: ['tag:ops'],
      },
    });
    expect(indexOf(run, ACL)).toBeLessThan(indexOf(run, FEDERATED_IDENTITY));
    expect(ofType(run, OAUTH_CLIENT)).toStrictEqual([]);
    expect(ofType(run, SECRET)).toStrictEqual([]);
    expect(only(run, CHART).inputs['values']).toStrictEqual({
      oauth: {
        clientId: 'tailnet-operator-identity-id',
        audience: 'api.tailscale.com/tailnet-operator-identity',
      },
      operatorConfig: { ...DEFAULT_VALUES.operatorConfig, defaultTags: ['tag:ops'] },
      proxyConfig: DEFAULT_VALUES.proxyConfig,
    });
  });

  test('workload identity: the federated identity depends on the policy, the chart on it', async () => {
    // GIVEN
    const capture = captureOptions();

    // WHEN
    await runWithMocks(() => {
      const tailnet = new Tailnet('tailnet', {}, { transformations: [capture.transformation] });
      new TailscaleOperator(
        'operator',
        {
          tailnet,
          credentials: OperatorCredentials.workloadIdentity({ issuer: 'https://oidc.example.com' }),
        },
        { transformations: [capture.transformation] },
      );
      tailnet.seal();
    });

    // THEN
    const acl = capturedOf(capture.captured, ACL);
    const identity = capturedOf(capture.captured, FEDERATED_IDENTITY);
    expect(await dependsOn(identity.opts)).toStrictEqual([acl.resource]);
    expect(await dependsOn(capturedOf(capture.captured, CHART).opts)).toStrictEqual([
      capturedOf(capture.captured, NAMESPACE).resource,
      acl.resource,
      identity.resource,
    ]);
  });

  test('workload identity with an existing client id: no federated identity is created', async () => {
    // WHEN
    const run = await runOperator({
      credentials: OperatorCredentials.workloadIdentity({
        issuer: 'https://oidc.example.com',
        clientId: 'existing-client',
        audience: 'existing-audience',
      }),
    });

    // THEN
    expect(ofType(run, FEDERATED_IDENTITY)).toStrictEqual([]);
    expect(ofType(run, OAUTH_CLIENT)).toStrictEqual([]);
    expect(only(run, CHART).inputs['values']).toStrictEqual({
      oauth: { clientId: 'existing-client', audience: 'existing-audience' },
      ...DEFAULT_VALUES,
    });
  });

  test('props flow into the namespace and the chart', async () => {
    // WHEN
    const run = await runOperator({
      namespace: 'tailnet',
      version: '1.100.0',
      hostname: 'k8s-operator',
      defaultProxyTags: ['tag:proxy', 'tag:web'],
      firewallMode: 'iptables',
      defaultProxyClass: { name: 'default-class' },
      ingressClassName: 'tailnet',
      loginServer: 'https://headscale.example.com',
      logging: 'dev',
      imagePullSecrets: ['registry'],
    });

    // THEN
    expect(only(run, NAMESPACE).inputs['metadata']).toStrictEqual({
      name: 'tailnet',
      labels: { ...MANAGED, 'pod-security.kubernetes.io/enforce': 'privileged' },
    });
    const chart = only(run, CHART);
    expect(chart.inputs['version']).toBe('1.100.0');
    expect(chart.inputs['namespace']).toBe('tailnet');
    expect(chart.inputs['values']).toStrictEqual({
      loginServer: 'https://headscale.example.com',
      operatorConfig: {
        defaultTags: ['tag:k8s-operator'],
        logging: 'dev',
        hostname: 'k8s-operator',
        extraEnv: [{ name: 'K8S_PROXY_IMAGE', value: 'tailscale/k8s-proxy:v1.100.0' }],
      },
      ingressClass: { name: 'tailnet' },
      proxyConfig: {
        defaultTags: 'tag:proxy,tag:web',
        firewallMode: 'iptables',
        defaultProxyClass: 'default-class',
      },
      imagePullSecrets: [{ name: 'registry' }],
    });
  });

  test('exposes the resolved props', async () => {
    // WHEN
    const run = await runWithMocks(() =>
      tailnetProgram({}, () => new TailscaleOperator('operator', { namespace: 'ts' })),
    );

    // THEN
    expect(run.result.props.namespace).toBe('ts');
    expect(run.result.props.credentials).toStrictEqual({ kind: 'oauth-client' });
    expect(run.result.props.tags).toStrictEqual(['tag:k8s-operator']);
  });

  describe('bad input', () => {
    test.each([
      { name: 'a tag lacks the tag: prefix', args: { tags: ['ops'] }, field: 'tags[0]', value: 'ops' },
      { name: 'the hostname is not a DNS label', args: { hostname: '-x-' }, field: 'hostname', value: '-x-' },
      {
        name: 'the namespace is not a namespace name',
        args: { namespace: 'a_b' },
        field: 'namespace',
        value: 'a_b',
      },
      {
        name: 'the version is not a release',
        args: { version: 'latest' },
        field: 'version',
        value: 'latest',
      },
    ])('fails when $name', async ({ args, field, value }) => {
      // WHEN
      const error = await rejection(
        runWithMocks(() =>
          tailnetProgram({}, () => {
            new TailscaleOperator('operator', args);
          }),
        ),
      );

      // THEN
      expect(error.path).toBe("TailscaleOperator 'operator'");
      expect(error.field).toBe(field);
      expect(error.value).toBe(value);
    });

    test('fails when a bad prop is found, before any resource of the component exists', async () => {
      // WHEN
      let caught: unknown;
      const run = await runWithMocks(() => {
        const tailnet = new Tailnet('tailnet');
        try {
          new TailscaleOperator('operator', { tailnet, tags: ['tag:ok', 'nope'] });
        } catch (error) {
          caught = error;
        }
        tailnet.seal();
      });

      // THEN
      expect(isValidationError(caught)).toBe(true);
      expect((caught as ValidationError).field).toBe('tags[1]');
      expect(run.resources.map((r) => r.type)).toStrictEqual(['tailkube:index:Tailnet', ACL]);
    });

    test('fails when the component is created outside any tailnet program and names no tailnet', async () => {
      // WHEN
      const error = await rejection(
        runWithMocks(() => {
          new TailscaleOperator('operator');
        }),
      );

      // THEN
      expect(error.path).toBe("TailscaleOperator 'operator'");
      expect(error.field).toBe('tailnet');
      expect(error.value).toBeUndefined();
      expect(error.allowed).toBe('a Tailnet');
      expect(error.message).toBe(
        "TailscaleOperator 'operator': `tailnet` must be a Tailnet, got nothing; create the component inside `tailnetProgram(...)`, or pass `tailnet` in its args",
      );
    });

    test('fails when two operators share one tailnet program, and creates no policy', async () => {
      // WHEN
      const types: string[] = [];
      const error = await rejection(
        runWithMocks(async () => {
          try {
            await tailnetProgram({}, () => {
              new TailscaleOperator('a');
              new TailscaleOperator('b', { namespace: 'b', hostname: 'b-operator' });
            });
          } finally {
            types.push('program ended');
          }
        }),
      );

      // THEN
      expect(error.path).toBe("TailscaleOperator 'b'");
      expect(error.field).toBe('tailnet');
      expect(error.value).toBe("a second operator beside TailscaleOperator 'a'");
      expect(types).toStrictEqual(['program ended']);
    });
  });
});
