import {
  OperatorApiServerProxyUses,
  OperatorCredentials,
  ValidationError,
  operatorChart,
  operatorImages,
  operatorRequirements,
  operatorServiceAccountSubject,
  renderOperatorNamespace,
  renderOperatorValues,
  resolveTailscaleOperatorProps,
  type CredentialsSupport,
  type ResolvedTailscaleOperatorProps,
  type TailscaleOperatorProps,
} from '../../src/internal';

const PATH = "TailscaleOperator 'app/operator'";
const OFFLINE: CredentialsSupport = {
  defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
  createsOAuthClient: false,
  createsFederatedIdentity: false,
};
const ONLINE: CredentialsSupport = {
  defaultCredentials: OperatorCredentials.oauthClient(),
  createsOAuthClient: true,
  createsFederatedIdentity: true,
};
const PINNED_PROXY_ENV = [{ name: 'K8S_PROXY_IMAGE', value: 'tailscale/k8s-proxy:v1.102.3' }];

function resolve(props: TailscaleOperatorProps = {}, support = OFFLINE): ResolvedTailscaleOperatorProps {
  return resolveTailscaleOperatorProps(PATH, props, support);
}

/** Operator pods on the system pool (`nodeSelectorTerms` is required: the API server refuses `{}`). */
const SYSTEM_POOL = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['system'] }] }],
    },
  },
};

describe('renderOperatorValues', () => {
  test('renders the defaults, with only what tailkube pins', () => {
    expect(renderOperatorValues(resolve())).toStrictEqual({
      operatorConfig: {
        defaultTags: ['tag:k8s-operator'],
        hostname: 'tailscale-operator',
        extraEnv: PINNED_PROXY_ENV,
      },
      proxyConfig: { defaultTags: 'tag:k8s' },
    });
  });

  test('renders a fully specified operator', () => {
    // GIVEN
    const props: TailscaleOperatorProps = {
      namespace: 'ts',
      version: '1.100.0',
      hostname: 'k8s-operator',
      tags: ['tag:k8s-operator', 'tag:infra'],
      defaultProxyTags: ['tag:k8s', 'tag:proxies'],
      operatorImage: { repository: 'ghcr.io/tailscale/k8s-operator', digest: `sha256:${'a'.repeat(64)}` },
      proxyImage: { repository: 'ghcr.io/tailscale/tailscale', digest: `sha256:${'b'.repeat(64)}` },
      firewallMode: 'nftables',
      defaultProxyClass: { name: 'default-class' },
      ingressClassName: 'ts',
      createIngressClass: false,
      loginServer: 'https://headscale.example.com',
      logging: 'debug',
      nodeSelector: { 'kubernetes.io/os': 'linux', pool: 'system' },
      affinity: SYSTEM_POOL,
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'system', effect: 'NoSchedule' }],
      priorityClassName: 'system-cluster-critical',
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      podSecurityContext: { runAsNonRoot: true },
      securityContext: { allowPrivilegeEscalation: false },
      imagePullSecrets: ['regcred', 'mirror'],
      credentials: OperatorCredentials.fromSecret('ts-oauth'),
    };

    // WHEN
    const values = renderOperatorValues(resolve(props));

    // THEN
    expect(values).toStrictEqual({
      oauthSecretVolume: { secret: { secretName: 'ts-oauth' } },
      loginServer: 'https://headscale.example.com',
      operatorConfig: {
        defaultTags: ['tag:k8s-operator', 'tag:infra'],
        image: { repository: 'ghcr.io/tailscale/k8s-operator', digest: `sha256:${'a'.repeat(64)}` },
        logging: 'debug',
        hostname: 'k8s-operator',
        nodeSelector: { 'kubernetes.io/os': 'linux', pool: 'system' },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'system', effect: 'NoSchedule' }],
        affinity: SYSTEM_POOL,
        priorityClassName: 'system-cluster-critical',
        podSecurityContext: { runAsNonRoot: true },
        securityContext: { allowPrivilegeEscalation: false },
        extraEnv: [{ name: 'K8S_PROXY_IMAGE', value: 'tailscale/k8s-proxy:v1.100.0' }],
      },
      ingressClass: { name: 'ts', enabled: false },
      proxyConfig: {
        image: { repository: 'ghcr.io/tailscale/tailscale', digest: `sha256:${'b'.repeat(64)}` },
        defaultTags: 'tag:k8s,tag:proxies',
        firewallMode: 'nftables',
        defaultProxyClass: 'default-class',
      },
      imagePullSecrets: [{ name: 'regcred' }, { name: 'mirror' }],
    });
  });

  test.each([
    [['tag:k8s'], 'tag:k8s'],
    [['tag:a', 'tag:b', 'tag:c'], 'tag:a,tag:b,tag:c'],
  ])('renders defaultProxyTags %j as ONE comma-separated string', (tags, rendered) => {
    const values = renderOperatorValues(resolve({ defaultProxyTags: tags }));
    expect((values['proxyConfig'] as Record<string, unknown>)['defaultTags']).toBe(rendered);
  });

  test.each<[string, TailscaleOperatorProps, unknown]>([
    ['only the class name', { ingressClassName: 'ts' }, { name: 'ts' }],
    ['only whether to create it', { createIngressClass: false }, { enabled: false }],
    ['neither', {}, undefined],
  ])('renders ingressClass with %s', (_name, props, expected) => {
    expect(renderOperatorValues(resolve(props))['ingressClass']).toStrictEqual(expected);
  });

  test.each<[string, TailscaleOperatorProps, CredentialsSupport, Record<string, unknown>]>([
    ['the default Secret mounts nothing extra', {}, OFFLINE, {}],
    [
      'the default Secret named explicitly mounts nothing extra',
      { credentials: OperatorCredentials.fromSecret('operator-oauth') },
      OFFLINE,
      {},
    ],
    [
      'a Secret with another name becomes oauthSecretVolume',
      { credentials: OperatorCredentials.fromSecret('my-oauth') },
      OFFLINE,
      { oauthSecretVolume: { secret: { secretName: 'my-oauth' } } },
    ],
    [
      'an OAuth client leaves its secrets to the flavor',
      { credentials: OperatorCredentials.oauthClient() },
      ONLINE,
      {},
    ],
    [
      'workload identity sets oauth.clientId and oauth.audience',
      {
        credentials: OperatorCredentials.workloadIdentity({
          issuer: 'https://issuer.example.com',
          clientId: 'kXYZ',
          audience: 'api.tailscale.com/kXYZ',
        }),
      },
      OFFLINE,
      { oauth: { clientId: 'kXYZ', audience: 'api.tailscale.com/kXYZ' } },
    ],
    [
      'workload identity the flavor creates renders an empty oauth block for the flavor to fill',
      { credentials: OperatorCredentials.workloadIdentity({ issuer: 'https://issuer.example.com' }) },
      ONLINE,
      { oauth: {} },
    ],
  ])('credentials: %s', (_name, props, support, expected) => {
    expect(renderOperatorValues(resolve(props, support))).toStrictEqual({
      ...expected,
      operatorConfig: {
        defaultTags: ['tag:k8s-operator'],
        hostname: 'tailscale-operator',
        extraEnv: PINNED_PROXY_ENV,
      },
      proxyConfig: { defaultTags: 'tag:k8s' },
    });
  });

  test('does not share arrays with the props', () => {
    const props = resolve({ tags: ['tag:a'] });
    const values = renderOperatorValues(props);
    const operatorConfig = values['operatorConfig'] as { defaultTags: string[] };
    expect(operatorConfig.defaultTags).not.toBe(props.tags);
  });
});

describe('renderOperatorValues with API server proxies', () => {
  /** The chart's `apiServerProxyConfig` after the given proxies were declared. */
  function apiServerProxyConfig(...uses: Parameters<OperatorApiServerProxyUses['add']>[1][]): unknown {
    const declared = new OperatorApiServerProxyUses();
    uses.forEach((use, i) => declared.add(`ApiServerProxy 'p${i}'`, use));
    return renderOperatorValues(resolve(), declared.values)['apiServerProxyConfig'];
  }

  test.each<[string, Parameters<OperatorApiServerProxyUses['add']>[1][], unknown]>([
    ['no proxy: nothing (the chart defaults to "false")', [], undefined],
    [
      'in-process auth: the string "true" (the chart takes no "auth")',
      [{ placement: 'in-process', mode: 'auth' }],
      { mode: 'true' },
    ],
    ['in-process noauth: "noauth"', [{ placement: 'in-process', mode: 'noauth' }], { mode: 'noauth' }],
    [
      'a ProxyGroup in auth mode: impersonation RBAC',
      [{ placement: 'proxy-group', mode: 'auth' }],
      { allowImpersonation: 'true' },
    ],
    ['a ProxyGroup in noauth mode: nothing', [{ placement: 'proxy-group', mode: 'noauth' }], undefined],
    [
      'both',
      [
        { placement: 'in-process', mode: 'noauth' },
        { placement: 'proxy-group', mode: 'auth' },
        { placement: 'proxy-group', mode: 'noauth' },
      ],
      { mode: 'noauth', allowImpersonation: 'true' },
    ],
  ])('%s', (_name, uses, expected) => {
    expect(apiServerProxyConfig(...uses)).toStrictEqual(expected);
  });

  test('the rest of the values is unchanged', () => {
    const declared = new OperatorApiServerProxyUses();
    declared.add("ApiServerProxy 'kubectl'", { placement: 'in-process', mode: 'auth' });
    const values = renderOperatorValues(resolve(), declared.values);
    delete values['apiServerProxyConfig'];
    expect(values).toStrictEqual(renderOperatorValues(resolve()));
  });

  test('fails when a second proxy runs in the operator process', () => {
    const declared = new OperatorApiServerProxyUses();
    declared.add("ApiServerProxy 'a'", { placement: 'in-process', mode: 'auth' });
    let error: unknown;
    try {
      declared.add("ApiServerProxy 'b'", { placement: 'in-process', mode: 'noauth' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      path: "ApiServerProxy 'b'",
      field: 'operator',
      value: "an operator already running ApiServerProxy 'a' in its process",
      allowed: 'an operator without an in-process API server proxy (it runs at most one)',
    });
    expect(declared.values).toStrictEqual({ inProcessMode: 'auth' });
  });
});

describe('chart values added for issue 16', () => {
  test('puts Deployment annotations at the top level, where the chart template reads them', () => {
    // GIVEN
    const props = resolve({
      deploymentAnnotations: { 'reloader.stakater.com/auto': 'true' },
      podAnnotations: { 'prometheus.io/scrape': 'false' },
      podLabels: { team: 'net' },
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/ts' },
      installCRDs: false,
    });

    // WHEN
    const values = renderOperatorValues(props);

    // THEN
    expect(values['annotations']).toStrictEqual({ 'reloader.stakater.com/auto': 'true' });
    expect(values['installCRDs']).toBe(false);
    expect(values['operatorConfig']).toMatchObject({
      podAnnotations: { 'prometheus.io/scrape': 'false' },
      podLabels: { team: 'net' },
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/ts' },
    });
    expect(values['operatorConfig']).not.toHaveProperty('annotations');
  });

  test('renders typed env knobs and raw variables by name, after the API server proxy image', () => {
    const values = renderOperatorValues(
      resolve({
        extraEnv: {
          proxyPriorityClassName: 'tailscale-proxies',
          defaultLoadBalancer: true,
          port: 41641,
          noLogsNoSupport: false,
          raw: { TS_DEBUG_FIREWALL_MODE: 'auto', A_FIRST: 'x' },
        },
      }),
    );
    expect((values['operatorConfig'] as Record<string, unknown>)['extraEnv']).toStrictEqual([
      { name: 'K8S_PROXY_IMAGE', value: 'tailscale/k8s-proxy:v1.102.3' },
      { name: 'A_FIRST', value: 'x' },
      { name: 'OPERATOR_DEFAULT_LOAD_BALANCER', value: 'true' },
      { name: 'PROXY_PRIORITY_CLASS_NAME', value: 'tailscale-proxies' },
      { name: 'TS_DEBUG_FIREWALL_MODE', value: 'auto' },
      { name: 'TS_NO_LOGS_NO_SUPPORT', value: 'false' },
      { name: 'TS_PORT', value: '41641' },
    ]);
  });

  test('moves every image with the chosen version and registry', () => {
    // GIVEN an older release from a mirror, the API server proxy pinned by digest
    const digest = `sha256:${'c'.repeat(64)}`;
    const props = resolve({
      version: '1.94.2',
      imageRegistry: 'registry.example.com/tailscale',
      k8sProxyImage: { digest },
      operatorImage: { pullPolicy: 'IfNotPresent' },
    });

    // WHEN
    const values = renderOperatorValues(props);
    const images = operatorImages(props);

    // THEN the chart gets the mirror (its appVersion gives the tag) and the env the release's k8s-proxy
    expect(values['operatorConfig']).toMatchObject({
      image: { repository: 'registry.example.com/tailscale/k8s-operator', pullPolicy: 'IfNotPresent' },
      extraEnv: [{ name: 'K8S_PROXY_IMAGE', value: `registry.example.com/tailscale/k8s-proxy@${digest}` }],
    });
    expect(values['proxyConfig']).toMatchObject({
      image: { repository: 'registry.example.com/tailscale/tailscale' },
    });
    expect(
      Object.fromEntries(Object.entries(images).map(([name, image]) => [name, image.reference])),
    ).toStrictEqual({
      'k8s-operator': 'registry.example.com/tailscale/k8s-operator:v1.94.2',
      tailscale: 'registry.example.com/tailscale/tailscale:v1.94.2',
      'k8s-proxy': `registry.example.com/tailscale/k8s-proxy@${digest}`,
      'k8s-nameserver': 'registry.example.com/tailscale/k8s-nameserver:v1.94.2',
      tsrecorder: 'registry.example.com/tailscale/tsrecorder:v1.94.2',
    });
  });

  test('lets one image leave the registry and keep a tag of its own', () => {
    const images = operatorImages(
      resolve({
        imageRegistry: 'ghcr.io/tailscale',
        proxyImage: { repository: 'docker.io/me/ts', tag: 'v9' },
      }),
    );
    expect(images.tailscale.reference).toBe('docker.io/me/ts:v9');
    expect(images['k8s-proxy'].reference).toBe('ghcr.io/tailscale/k8s-proxy:v1.102.3');
  });
});

describe('renderOperatorNamespace', () => {
  test('renders nothing for an existing namespace', () => {
    expect(renderOperatorNamespace(resolve({ namespaceMode: 'existing' }))).toBeUndefined();
  });

  test.each([
    [true, { 'pod-security.kubernetes.io/enforce': 'privileged' }],
    [false, {}],
  ])('labels a shared namespace only when the program needs privileged pods (%s)', (privileged, label) => {
    expect(
      renderOperatorNamespace(resolve({ namespace: 'networking', namespaceMode: 'shared' }), privileged),
    ).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'networking', labels: { 'app.kubernetes.io/managed-by': 'tailkube', ...label } },
    });
  });

  test('labels the operator namespace for privileged pods', () => {
    expect(renderOperatorNamespace(resolve({ namespace: 'ts' }))).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'ts',
        labels: {
          'app.kubernetes.io/managed-by': 'tailkube',
          'pod-security.kubernetes.io/enforce': 'privileged',
        },
      },
    });
  });
});

describe('operatorChart', () => {
  test('points at the pinned chart in the operator namespace', () => {
    expect(operatorChart(resolve())).toStrictEqual({
      repository: 'https://pkgs.tailscale.com/helmcharts',
      chart: 'tailscale-operator',
      version: '1.102.3',
      releaseName: 'tailscale-operator',
      namespace: 'tailscale',
    });
  });

  test('takes the version and namespace from the props', () => {
    expect(operatorChart(resolve({ version: '1.100.0', namespace: 'ts' }))).toMatchObject({
      version: '1.100.0',
      namespace: 'ts',
    });
  });
});

describe('operatorRequirements', () => {
  test('asks for the operator tags, the proxy tags, its hostname and the least scopes', () => {
    expect(operatorRequirements(PATH, resolve({ defaultProxyTags: ['tag:k8s', 'tag:web'] }))).toStrictEqual({
      source: PATH,
      operator: {
        tags: ['tag:k8s-operator'],
        namespace: 'tailscale',
        credentials: { kind: 'existing-secret', secretName: 'operator-oauth' },
      },
      proxyTags: ['tag:k8s', 'tag:web'],
      claims: [{ kind: 'hostname', field: 'hostname', hostname: 'tailscale-operator' }],
      oauthScopes: ['auth_keys', 'devices:core'],
    });
  });

  test.each<[string, TailscaleOperatorProps, CredentialsSupport, unknown]>([
    ['an OAuth client', { credentials: OperatorCredentials.oauthClient() }, ONLINE, { kind: 'oauth-client' }],
    [
      'a federated identity to create',
      {
        namespace: 'ts',
        credentials: OperatorCredentials.workloadIdentity({ issuer: 'https://issuer.example.com' }),
      },
      ONLINE,
      {
        kind: 'workload-identity',
        issuer: 'https://issuer.example.com',
        subject: 'system:serviceaccount:ts:operator',
      },
    ],
    [
      'an existing federated identity',
      {
        credentials: OperatorCredentials.workloadIdentity({
          issuer: 'https://issuer.example.com',
          clientId: 'k',
          audience: 'a',
        }),
      },
      OFFLINE,
      {
        kind: 'workload-identity',
        issuer: 'https://issuer.example.com',
        subject: 'system:serviceaccount:tailscale:operator',
        clientId: 'k',
        audience: 'a',
      },
    ],
  ])('states the credentials of %s', (_name, props, support, credentials) => {
    expect(operatorRequirements(PATH, resolve(props, support)).operator?.credentials).toStrictEqual(
      credentials,
    );
  });

  test('names the operator service account subject', () => {
    expect(operatorServiceAccountSubject('tailscale')).toBe('system:serviceaccount:tailscale:operator');
  });
});
