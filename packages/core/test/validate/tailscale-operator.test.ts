import {
  OperatorCredentials,
  ValidationError,
  resolveTailscaleOperatorProps,
  type CredentialsSupport,
  type TailscaleOperatorProps,
} from '../../src/internal';

const PATH = "TailscaleOperator 'app/operator'";

/** cdk8s: offline, so it can create neither an OAuth client nor a federated identity. */
const OFFLINE: CredentialsSupport = {
  defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
  createsOAuthClient: false,
  createsFederatedIdentity: false,
};
/** Pulumi: creates both. */
const ONLINE: CredentialsSupport = {
  defaultCredentials: OperatorCredentials.oauthClient(),
  createsOAuthClient: true,
  createsFederatedIdentity: true,
};

const TAG = 'a tag such as "tag:k8s" (letters, digits and dashes after "tag:", starting with a letter)';
const OBJECT_NAME = 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots';
const ISSUER = "a public https URL of the cluster's service account issuer, which Tailscale must reach";
const PRIVATE_ISSUER_HINT =
  'clusters whose issuer is private (most on-premises clusters) need an OAuth client instead';

/** The error `resolveTailscaleOperatorProps` throws for `props`. */
function failure(props: TailscaleOperatorProps, support = OFFLINE): ValidationError {
  try {
    resolveTailscaleOperatorProps(PATH, props, support);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('defaults', () => {
  test('fills every default (cdk8s)', () => {
    expect(resolveTailscaleOperatorProps(PATH, {}, OFFLINE)).toStrictEqual({
      namespace: 'tailscale',
      namespaceMode: 'dedicated',
      version: '1.102.3',
      hostname: 'tailscale-operator',
      tags: ['tag:k8s-operator'],
      defaultProxyTags: ['tag:k8s'],
      credentials: { kind: 'existing-secret', secretName: 'operator-oauth' },
    });
  });

  test('takes the flavor’s default credentials (Pulumi)', () => {
    expect(resolveTailscaleOperatorProps(PATH, {}, ONLINE).credentials).toStrictEqual({
      kind: 'oauth-client',
    });
  });

  test('keeps what the props set', () => {
    const props: TailscaleOperatorProps = {
      namespace: 'ts',
      namespaceMode: 'shared',
      version: '1.100.0',
      hostname: 'k8s-op',
      tags: ['tag:op'],
      defaultProxyTags: ['tag:a', 'tag:b'],
      logging: 'debug',
      firewallMode: 'nftables',
      credentials: OperatorCredentials.fromSecret('my-secret'),
    };
    expect(resolveTailscaleOperatorProps(PATH, props, OFFLINE)).toStrictEqual(props);
  });
});

describe('accepts', () => {
  test.each<[string, TailscaleOperatorProps]>([
    [
      'a full set of valid props',
      {
        operatorImage: { repository: 'ghcr.io/tailscale/k8s-operator', digest: `sha256:${'a'.repeat(64)}` },
        proxyImage: { repository: 'registry.example.com:5000/mirror/tailscale' },
        defaultProxyClass: { name: 'default.class' },
        ingressClassName: 'tailscale',
        createIngressClass: false,
        loginServer: 'https://headscale.example.com',
        priorityClassName: 'system-cluster-critical',
        imagePullSecrets: ['regcred'],
      },
    ],
    ['an http login server', { loginServer: 'http://headscale.internal:8080' }],
    [
      'a public issuer with client id and audience',
      {
        credentials: OperatorCredentials.workloadIdentity({
          issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC',
          clientId: 'kXYZ',
          audience: 'api.tailscale.com/kXYZ',
        }),
      },
    ],
    [
      'a public IP issuer',
      {
        credentials: OperatorCredentials.workloadIdentity({
          issuer: 'https://34.120.5.6:6443',
          clientId: 'k',
          audience: 'a',
        }),
      },
    ],
  ])('%s', (_name, props) => {
    expect(() => resolveTailscaleOperatorProps(PATH, props, OFFLINE)).not.toThrow();
  });

  test('workload identity without clientId and audience when the flavor creates the identity', () => {
    const credentials = OperatorCredentials.workloadIdentity({ issuer: 'https://issuer.example.com' });
    expect(resolveTailscaleOperatorProps(PATH, { credentials }, ONLINE).credentials).toStrictEqual({
      kind: 'workload-identity',
      issuer: 'https://issuer.example.com',
    });
  });
});

describe('rules', () => {
  test('fails when the namespace is not a DNS label', () => {
    const error = failure({ namespace: 'Tailscale' });
    expect(fields(error)).toStrictEqual({
      path: PATH,
      field: 'namespace',
      value: 'Tailscale',
      allowed:
        'a namespace name: at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit',
    });
    expect(error.message).toBe(
      'TailscaleOperator \'app/operator\': `namespace` must be a namespace name: at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit, got "Tailscale"',
    );
  });

  test('fails when the version is not a release version', () => {
    const error = failure({ version: 'v1.102.3' });
    expect(fields(error)).toStrictEqual({
      path: PATH,
      field: 'version',
      value: 'v1.102.3',
      allowed: 'a release version such as "1.102.3"',
    });
    expect(error.message).toBe(
      'TailscaleOperator \'app/operator\': `version` must be a release version such as "1.102.3", got "v1.102.3"; did you mean "1.102.3"?',
    );
  });

  test('fails when the hostname is not a DNS label', () => {
    const error = failure({ hostname: 'Tailscale_Operator' });
    expect(fields(error)).toStrictEqual({
      path: PATH,
      field: 'hostname',
      value: 'Tailscale_Operator',
      allowed:
        'a DNS label of 2 to 63 lower-case letters, digits and dashes, not starting or ending with a dash',
    });
    expect(error.message).toBe(
      'TailscaleOperator \'app/operator\': `hostname` must be a DNS label of 2 to 63 lower-case letters, digits and dashes, not starting or ending with a dash, got "Tailscale_Operator"; did you mean "tailscale-operator"?',
    );
  });

  test.each<[string, TailscaleOperatorProps, Record<string, unknown>]>([
    [
      'the namespace mode is unknown',
      { namespaceMode: 'borrowed' as never },
      { field: 'namespaceMode', value: 'borrowed', allowed: 'one of "dedicated", "shared", "existing"' },
    ],
    [
      'the image registry carries a tag',
      { imageRegistry: 'ghcr.io/tailscale:v1' },
      {
        field: 'imageRegistry',
        value: 'ghcr.io/tailscale:v1',
        allowed: 'a registry path such as "ghcr.io/tailscale" or "registry.example.com/tailscale"',
      },
    ],
    [
      'an image tag is malformed',
      { k8sProxyImage: { tag: ':v1' } },
      { field: 'k8sProxyImage.tag', value: ':v1', allowed: 'an image tag such as "v1.102.3"' },
    ],
    [
      'the operator pull policy is unknown',
      { operatorImage: { pullPolicy: 'Sometimes' as never } },
      {
        field: 'operatorImage.pullPolicy',
        value: 'Sometimes',
        allowed: 'one of "Always", "Never", "IfNotPresent"',
      },
    ],
    [
      'a pod label value is too long',
      { podLabels: { team: 'x'.repeat(64) } },
      {
        field: 'podLabels["team"]',
        value: 'x'.repeat(64),
        allowed:
          'a label value: at most 63 letters, digits, dashes, underscores and dots, starting and ending with a letter or digit',
      },
    ],
    [
      'a service account annotation key is malformed',
      { serviceAccountAnnotations: { 'eks.amazonaws.com/role arn': 'x' } },
      {
        field: 'serviceAccountAnnotations["eks.amazonaws.com/role arn"]',
        value: 'eks.amazonaws.com/role arn',
        allowed:
          'a key such as "app" or "example.com/team": an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" and "."',
      },
    ],
    [
      'the operator port is not a port',
      { extraEnv: { port: 70000 } },
      { field: 'extraEnv.port', value: 70000, allowed: 'a UDP port from 1 to 65535' },
    ],
    [
      'the proxy PriorityClass is not an object name',
      { extraEnv: { proxyPriorityClassName: 'High' } },
      { field: 'extraEnv.proxyPriorityClassName', value: 'High', allowed: OBJECT_NAME },
    ],
    [
      'a raw variable overwrites one the chart sets',
      { extraEnv: { raw: { PROXY_IMAGE: 'mirror/tailscale:v1' } } },
      {
        field: 'extraEnv.raw["PROXY_IMAGE"]',
        value: 'PROXY_IMAGE',
        allowed: 'a variable neither the chart nor tailkube sets',
      },
    ],
    [
      'a raw variable overwrites a typed knob',
      { extraEnv: { raw: { OPERATOR_DEFAULT_LOAD_BALANCER: 'true' } } },
      {
        field: 'extraEnv.raw["OPERATOR_DEFAULT_LOAD_BALANCER"]',
        value: 'OPERATOR_DEFAULT_LOAD_BALANCER',
        allowed: 'a variable neither the chart nor tailkube sets',
      },
    ],
    [
      'a raw variable sets the API server proxy image',
      { extraEnv: { raw: { K8S_PROXY_IMAGE: 'x' } } },
      {
        field: 'extraEnv.raw["K8S_PROXY_IMAGE"]',
        value: 'K8S_PROXY_IMAGE',
        allowed: 'a variable neither the chart nor tailkube sets',
      },
    ],
    [
      'a raw variable name is malformed',
      { extraEnv: { raw: { '1BAD': 'x' } } },
      {
        field: 'extraEnv.raw["1BAD"]',
        value: '1BAD',
        allowed: 'an environment variable name: letters, digits, "-", "." and "_", not starting with a digit',
      },
    ],
    ['tags is empty', { tags: [] }, { field: 'tags', value: [], allowed: 'at least one entry' }],
    ['a tag is malformed', { tags: ['tag:ok', 'k8s'] }, { field: 'tags[1]', value: 'k8s', allowed: TAG }],
    [
      'a tag is listed twice',
      { tags: ['tag:a', 'tag:a'] },
      { field: 'tags[1]', value: 'tag:a', allowed: 'listed once' },
    ],
    [
      'defaultProxyTags is empty',
      { defaultProxyTags: [] },
      { field: 'defaultProxyTags', value: [], allowed: 'at least one entry' },
    ],
    [
      'a default proxy tag is malformed',
      { defaultProxyTags: ['tag:k8s,tag:b'] },
      { field: 'defaultProxyTags[0]', value: 'tag:k8s,tag:b', allowed: TAG },
    ],
    [
      'a default proxy tag is listed twice',
      { defaultProxyTags: ['tag:k8s', 'tag:x', 'tag:k8s'] },
      { field: 'defaultProxyTags[2]', value: 'tag:k8s', allowed: 'listed once' },
    ],
    [
      'the operator image repository carries a tag',
      { operatorImage: { repository: 'tailscale/k8s-operator:v1' } },
      {
        field: 'operatorImage.repository',
        value: 'tailscale/k8s-operator:v1',
        allowed: 'an image repository without tag or digest, such as "ghcr.io/tailscale/tailscale"',
      },
    ],
    [
      'the proxy image digest is not sha256',
      { proxyImage: { digest: 'sha256:abc' } },
      {
        field: 'proxyImage.digest',
        value: 'sha256:abc',
        allowed: 'a digest such as "sha256:<64 hex digits>"',
      },
    ],
    [
      'the firewall mode is unknown',
      { firewallMode: 'ipfw' as never },
      { field: 'firewallMode', value: 'ipfw', allowed: 'one of "auto", "iptables", "nftables"' },
    ],
    [
      'the log level is unknown',
      { logging: 'trace' as never },
      { field: 'logging', value: 'trace', allowed: 'one of "info", "debug", "dev"' },
    ],
    [
      'the default ProxyClass name is not an object name',
      { defaultProxyClass: { name: 'My Class' } },
      { field: 'defaultProxyClass.name', value: 'My Class', allowed: OBJECT_NAME },
    ],
    [
      'the ingress class name is not an object name',
      { ingressClassName: 'Tailscale' },
      { field: 'ingressClassName', value: 'Tailscale', allowed: OBJECT_NAME },
    ],
    [
      'the login server is not a URL',
      { loginServer: 'headscale.example.com' },
      { field: 'loginServer', value: 'headscale.example.com', allowed: 'an absolute http or https URL' },
    ],
    [
      'the login server is not http(s)',
      { loginServer: 'ftp://headscale.example.com' },
      {
        field: 'loginServer',
        value: 'ftp://headscale.example.com',
        allowed: 'an absolute http or https URL',
      },
    ],
    [
      'the priority class is not an object name',
      { priorityClassName: 'High' },
      { field: 'priorityClassName', value: 'High', allowed: OBJECT_NAME },
    ],
    [
      'an image pull secret is not an object name',
      { imagePullSecrets: ['ok', 'Not_OK'] },
      { field: 'imagePullSecrets[1]', value: 'Not_OK', allowed: OBJECT_NAME },
    ],
    [
      'the existing secret name is not an object name',
      { credentials: OperatorCredentials.fromSecret('Bad Name') },
      { field: 'credentials.secretName', value: 'Bad Name', allowed: OBJECT_NAME },
    ],
    [
      'the credentials kind is unknown',
      { credentials: { kind: 'api-key' } as never },
      {
        field: 'credentials.kind',
        value: 'api-key',
        allowed: 'one of "existing-secret", "oauth-client", "workload-identity"',
      },
    ],
  ])('fails when %s', (_name, props, expected) => {
    expect(fields(failure(props))).toStrictEqual({ path: PATH, ...expected });
  });

  test('fails on the first rule in table order', () => {
    expect(failure({ namespace: 'A', version: 'x', hostname: 'Y' }).field).toBe('namespace');
    expect(failure({ version: 'x', hostname: 'Y' }).field).toBe('version');
  });

  test('fails when a tag lacks its "tag:" prefix, with the fix as hint', () => {
    expect(failure({ tags: ['k8s-operator'] }).message).toBe(
      `TailscaleOperator 'app/operator': \`tags[0]\` must be ${TAG}, got "k8s-operator"; did you mean "tag:k8s-operator"?`,
    );
  });
});

test('fails when a raw variable repeats a typed one, naming the prop to use', () => {
  expect(failure({ extraEnv: { raw: { K8S_PROXY_IMAGE: 'x' } } }).message).toBe(
    'TailscaleOperator \'app/operator\': `extraEnv.raw["K8S_PROXY_IMAGE"]` must be a variable neither the chart nor tailkube sets, got "K8S_PROXY_IMAGE"; set it with `k8sProxyImage`',
  );
});

test('fails when a raw variable holds a Tailscale key, without printing it', () => {
  const key = ['tskey', 'auth', 'k123', 'x'.repeat(20)].join('-');
  const error = failure({ extraEnv: { raw: { EXTRA: key } } });
  expect(error.field).toBe('extraEnv.raw.EXTRA');
  expect(error.message).not.toContain(key);
});

describe('credentials', () => {
  test('fails when an OAuth client is asked of a flavor that cannot create one', () => {
    // GIVEN an offline flavor and a namespace of the user's choice
    const props: TailscaleOperatorProps = { namespace: 'ts', credentials: OperatorCredentials.oauthClient() };

    // WHEN
    const error = failure(props, OFFLINE);

    // THEN
    expect(fields(error)).toStrictEqual({
      path: PATH,
      field: 'credentials',
      value: 'oauth-client',
      allowed: 'an existing Secret or workload identity federation',
    });
    expect(error.message).toBe(
      'TailscaleOperator \'app/operator\': `credentials` must be an existing Secret or workload identity federation, got "oauth-client"; an offline synth cannot create an OAuth client; create one with the scopes and tags in tailnet-requirements.json and store it as Secret "operator-oauth" in namespace "ts"',
    );
  });

  test('accepts an OAuth client where the flavor creates one', () => {
    const credentials = OperatorCredentials.oauthClient();
    expect(resolveTailscaleOperatorProps(PATH, { credentials }, ONLINE).credentials).toStrictEqual({
      kind: 'oauth-client',
    });
  });

  test.each([
    ['http', 'http://issuer.example.com'],
    ['localhost', 'https://localhost:6443'],
    ['a loopback address', 'https://127.0.0.1'],
    ['a cluster-internal *.svc name', 'https://kubernetes.default.svc'],
    ['a *.cluster.local name', 'https://kubernetes.default.svc.cluster.local'],
    ['a *.internal name', 'https://issuer.corp.internal'],
    ['a private IPv4 address', 'https://10.0.0.1'],
    ['a 192.168 address', 'https://192.168.1.10:6443/issuer'],
    ['a CGNAT (tailnet) address', 'https://100.101.102.103'],
    ['a link-local address', 'https://169.254.169.254'],
    ['a unique local IPv6 address', 'https://[fd00::1]'],
    ['an IPv6 loopback', 'https://[::1]'],
    ['a documentation (TEST-NET) address', 'https://203.0.113.7:6443'],
  ])('fails when the workload identity issuer is %s', (_name, issuer) => {
    // Checked the same way whatever the flavor creates.
    for (const support of [OFFLINE, ONLINE]) {
      const error = failure(
        { credentials: OperatorCredentials.workloadIdentity({ issuer, clientId: 'k', audience: 'a' }) },
        support,
      );
      expect(fields(error)).toStrictEqual({
        path: PATH,
        field: 'credentials.issuer',
        value: issuer,
        allowed: ISSUER,
      });
      expect(error.message).toBe(
        `TailscaleOperator 'app/operator': \`credentials.issuer\` must be ${ISSUER}, got ${JSON.stringify(issuer)}; ${PRIVATE_ISSUER_HINT}`,
      );
    }
  });

  test('fails when the workload identity issuer is not a URL', () => {
    const error = failure({
      credentials: OperatorCredentials.workloadIdentity({
        issuer: 'issuer.example.com',
        clientId: 'k',
        audience: 'a',
      }),
    });
    expect(fields(error)).toStrictEqual({
      path: PATH,
      field: 'credentials.issuer',
      value: 'issuer.example.com',
      allowed: ISSUER,
    });
  });

  test.each([
    ['clientId', { audience: 'a' }, "the federated identity's client id"],
    [
      'audience',
      { clientId: 'k' },
      "the existing federated identity's audience (without it the chart treats the id as a plain OAuth client)",
    ],
  ])('fails when workload identity on cdk8s lacks %s', (field, options, allowed) => {
    const error = failure({
      credentials: OperatorCredentials.workloadIdentity({ issuer: 'https://issuer.example.com', ...options }),
    });
    expect(fields(error)).toStrictEqual({
      path: PATH,
      field: `credentials.${field}`,
      value: undefined,
      allowed,
    });
    expect(error.message).toBe(
      `TailscaleOperator 'app/operator': \`credentials.${field}\` must be ${allowed}, got nothing`,
    );
  });

  test.each<[string, object, string]>([
    [
      'a secret name on an OAuth client',
      { kind: 'oauth-client', secretName: 'operator-oauth' },
      'secretName',
    ],
    [
      'an issuer on an existing Secret',
      { kind: 'existing-secret', secretName: 's', issuer: 'https://x' },
      'issuer',
    ],
    [
      'a client secret on workload identity',
      {
        kind: 'workload-identity',
        issuer: 'https://issuer.example.com',
        clientId: 'k',
        audience: 'a',
        clientSecret: 'fake-client-secret-value',
      },
      'clientSecret',
    ],
    [
      'a client secret on an existing Secret',
      { kind: 'existing-secret', secretName: 's', clientSecret: 'fake-client-secret-value' },
      'clientSecret',
    ],
  ])('fails when credentials options conflict: %s', (_name, credentials, extra) => {
    // WHEN
    const error = failure({ credentials: credentials as never }, ONLINE);

    // THEN
    const kind = (credentials as { kind: string }).kind;
    expect(fields(error)).toStrictEqual({
      path: PATH,
      field: `credentials.${extra}`,
      value: '<redacted>',
      allowed: `absent for ${kind} credentials (the options of one way conflict with another)`,
    });
    expect(error.message).toBe(
      `TailscaleOperator 'app/operator': \`credentials.${extra}\` must be absent for ${kind} credentials (the options of one way conflict with another), got <redacted>`,
    );
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('SECRET');
  });
});
