import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import {
  Connector,
  OperatorCredentials,
  TailscaleOperator,
  type ValidationError,
  isValidationError,
  type TailscaleOperatorProps,
} from '@tailkube/cdk8s';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const PROXY_IMAGE_ENV = { name: 'K8S_PROXY_IMAGE', value: 'tailscale/k8s-proxy:v1.102.3' };

/** The object of `kind` in a synthesized chart; fails the test when there is not exactly one. */
function only(manifest: readonly Record<string, unknown>[], kind: string): Record<string, unknown> {
  const found = manifest.filter((object) => object['kind'] === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Runs `fn`, which must throw a ValidationError, and returns it. */
function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

describe('TailscaleOperator (cdk8s)', () => {
  test('defaults: a privileged namespace, a Flux HelmRepository and a HelmRelease of the pinned chart', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops');

    // WHEN
    new TailscaleOperator(chart, 'operator');

    // THEN
    expect(Testing.synth(chart)).toStrictEqual([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'tailscale',
          labels: { ...MANAGED, 'pod-security.kubernetes.io/enforce': 'privileged' },
        },
      },
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'HelmRepository',
        metadata: { name: 'tailscale', namespace: 'tailscale', labels: MANAGED },
        spec: { interval: '1h', url: 'https://pkgs.tailscale.com/helmcharts' },
      },
      {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'tailscale-operator', namespace: 'tailscale', labels: MANAGED },
        spec: {
          interval: '1h',
          releaseName: 'tailscale-operator',
          chart: {
            spec: {
              chart: 'tailscale-operator',
              version: '1.102.3',
              sourceRef: { kind: 'HelmRepository', name: 'tailscale', namespace: 'tailscale' },
            },
          },
          values: {
            operatorConfig: {
              defaultTags: ['tag:k8s-operator'],
              hostname: 'tailscale-operator',
              extraEnv: [PROXY_IMAGE_ENV],
            },
            proxyConfig: { defaultTags: 'tag:k8s' },
          },
        },
      },
    ]);
  });

  test('the Namespace stays cluster-scoped in a chart that sets a namespace', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops', { namespace: 'apps' });

    // WHEN
    new TailscaleOperator(chart, 'operator');

    // THEN
    const manifest = Testing.synth(chart);
    expect(only(manifest, 'Namespace')).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'tailscale',
        labels: { ...MANAGED, 'pod-security.kubernetes.io/enforce': 'privileged' },
      },
    });
    // The namespaced objects keep the operator's namespace, not the chart's.
    expect(only(manifest, 'HelmRepository')['metadata']).toStrictEqual({
      name: 'tailscale',
      namespace: 'tailscale',
      labels: MANAGED,
    });
    expect(only(manifest, 'HelmRelease')['metadata']).toStrictEqual({
      name: 'tailscale-operator',
      namespace: 'tailscale',
      labels: MANAGED,
    });
  });

  test('exposes the resolved props', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops');

    // WHEN
    const operator = new TailscaleOperator(chart, 'operator', { namespace: 'ts', tags: ['tag:op'] });

    // THEN
    expect(operator.namespace).toBe('ts');
    expect(operator.tags).toStrictEqual(['tag:op']);
    expect(operator.props.credentials).toStrictEqual({
      kind: 'existing-secret',
      secretName: 'operator-oauth',
    });
    expect(operator.props.version).toBe('1.102.3');
    expect(operator.props.hostname).toBe('tailscale-operator');
    expect(operator.hostname).toBe('tailscale-operator');
    expect(TailscaleOperator.isTailscaleOperator(operator)).toBe(true);
    expect(TailscaleOperator.isTailscaleOperator({ tags: ['tag:op'], hostname: 'op' })).toBe(false);
    expect(operator.props.defaultProxyTags).toStrictEqual(['tag:k8s']);
  });

  test('Argo CD: a Namespace and an Application instead of the Flux objects', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops');

    // WHEN
    new TailscaleOperator(chart, 'operator', {
      gitops: 'argocd',
      argoCd: { namespace: 'gitops', project: 'platform' },
    });

    // THEN
    const manifest = Testing.synth(chart);
    expect(manifest.map((object) => object.kind)).toStrictEqual(['Namespace', 'Application']);
    expect(only(manifest, 'Application')).toStrictEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'tailscale-operator', namespace: 'gitops', labels: MANAGED },
      spec: {
        project: 'platform',
        source: {
          repoURL: 'https://pkgs.tailscale.com/helmcharts',
          chart: 'tailscale-operator',
          targetRevision: '1.102.3',
          helm: {
            releaseName: 'tailscale-operator',
            valuesObject: {
              operatorConfig: {
                defaultTags: ['tag:k8s-operator'],
                hostname: 'tailscale-operator',
                extraEnv: [PROXY_IMAGE_ENV],
              },
              proxyConfig: { defaultTags: 'tag:k8s' },
            },
          },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'tailscale' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  });

  test('Argo CD defaults: namespace argocd, project default', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops');

    // WHEN
    new TailscaleOperator(chart, 'operator', { gitops: 'argocd', namespace: 'ts' });

    // THEN
    const application = only(Testing.synth(chart), 'Application') as {
      metadata: unknown;
      spec: { project: unknown; destination: unknown };
    };
    expect(application.metadata).toStrictEqual({
      name: 'tailscale-operator',
      namespace: 'argocd',
      labels: MANAGED,
    });
    expect(application.spec.project).toBe('default');
    expect(application.spec.destination).toStrictEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'ts',
    });
  });

  test('props flow into the chart values', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops');
    const props: TailscaleOperatorProps = {
      namespace: 'tailnet',
      version: '1.100.0',
      hostname: 'k8s-operator',
      tags: ['tag:ops', 'tag:ops-backup'],
      defaultProxyTags: ['tag:proxy', 'tag:web'],
      operatorImage: { repository: 'ghcr.io/tailscale/k8s-operator', digest: `sha256:${'a'.repeat(64)}` },
      proxyImage: { repository: 'ghcr.io/tailscale/tailscale' },
      firewallMode: 'nftables',
      defaultProxyClass: { name: 'default-class' },
      ingressClassName: 'tailnet',
      createIngressClass: false,
      loginServer: 'https://headscale.example.com',
      logging: 'debug',
      nodeSelector: { 'kubernetes.io/os': 'linux', pool: 'system' },
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'system', effect: 'NoSchedule' }],
      priorityClassName: 'system-cluster-critical',
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      podSecurityContext: { runAsNonRoot: true },
      securityContext: { readOnlyRootFilesystem: true },
      imagePullSecrets: ['registry'],
      credentials: OperatorCredentials.fromSecret('tailscale-oauth'),
    };

    // WHEN
    new TailscaleOperator(chart, 'operator', props);

    // THEN
    const manifest = Testing.synth(chart);
    expect(only(manifest, 'Namespace')['metadata']).toStrictEqual({
      name: 'tailnet',
      labels: { ...MANAGED, 'pod-security.kubernetes.io/enforce': 'privileged' },
    });
    const release = only(manifest, 'HelmRelease') as {
      spec: { chart: { spec: { version: unknown } }; values: unknown };
    };
    expect(release.spec.chart.spec.version).toBe('1.100.0');
    expect(release.spec.values).toStrictEqual({
      oauthSecretVolume: { secret: { secretName: 'tailscale-oauth' } },
      loginServer: 'https://headscale.example.com',
      operatorConfig: {
        defaultTags: ['tag:ops', 'tag:ops-backup'],
        image: { repository: 'ghcr.io/tailscale/k8s-operator', digest: `sha256:${'a'.repeat(64)}` },
        logging: 'debug',
        hostname: 'k8s-operator',
        nodeSelector: { 'kubernetes.io/os': 'linux', pool: 'system' },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'system', effect: 'NoSchedule' }],
        affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
        priorityClassName: 'system-cluster-critical',
        podSecurityContext: { runAsNonRoot: true },
        securityContext: { readOnlyRootFilesystem: true },
        extraEnv: [{ name: 'K8S_PROXY_IMAGE', value: 'tailscale/k8s-proxy:v1.100.0' }],
      },
      ingressClass: { name: 'tailnet', enabled: false },
      proxyConfig: {
        image: { repository: 'ghcr.io/tailscale/tailscale' },
        defaultTags: 'tag:proxy,tag:web',
        firewallMode: 'nftables',
        defaultProxyClass: 'default-class',
      },
      imagePullSecrets: [{ name: 'registry' }],
    });
  });

  test('workload identity: the chart gets the client id and audience, and no secret volume', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops');

    // WHEN
    new TailscaleOperator(chart, 'operator', {
      credentials: OperatorCredentials.workloadIdentity({
        issuer: 'https://oidc.example.com/cluster',
        clientId: 'k8s-client',
        audience: 'api.tailscale.com/k8s-client',
      }),
    });

    // THEN
    const release = only(Testing.synth(chart), 'HelmRelease') as { spec: { values: unknown } };
    expect(release.spec.values).toStrictEqual({
      oauth: { clientId: 'k8s-client', audience: 'api.tailscale.com/k8s-client' },
      operatorConfig: {
        defaultTags: ['tag:k8s-operator'],
        hostname: 'tailscale-operator',
        extraEnv: [PROXY_IMAGE_ENV],
      },
      proxyConfig: { defaultTags: 'tag:k8s' },
    });
  });

  test('the default Secret name renders no secret volume', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops');

    // WHEN
    new TailscaleOperator(chart, 'operator', {
      credentials: OperatorCredentials.fromSecret('operator-oauth'),
    });

    // THEN
    const release = only(Testing.synth(chart), 'HelmRelease') as { spec: { values: object } };
    expect(Object.keys(release.spec.values).sort()).toStrictEqual(['operatorConfig', 'proxyConfig']);
  });

  describe('bad input', () => {
    test.each([
      {
        name: 'a tag lacks the tag: prefix',
        props: { tags: ['k8s-operator'] },
        field: 'tags[0]',
        value: 'k8s-operator',
        message:
          'TailscaleOperator \'ops/operator\': `tags[0]` must be a tag such as "tag:k8s" (letters, digits and dashes after "tag:", starting with a letter), got "k8s-operator"; did you mean "tag:k8s-operator"?',
      },
      {
        name: 'a default proxy tag is malformed',
        props: { defaultProxyTags: ['tag:k8s', 'tag:1bad'] },
        field: 'defaultProxyTags[1]',
        value: 'tag:1bad',
        message: undefined,
      },
      {
        name: 'the hostname is not a DNS label',
        props: { hostname: 'Tailscale_Operator' },
        field: 'hostname',
        value: 'Tailscale_Operator',
        message:
          'TailscaleOperator \'ops/operator\': `hostname` must be a DNS label of 2 to 63 lower-case letters, digits and dashes, not starting or ending with a dash, got "Tailscale_Operator"; did you mean "tailscale-operator"?',
      },
      {
        name: 'the namespace is not a namespace name',
        props: { namespace: 'Tailscale' },
        field: 'namespace',
        value: 'Tailscale',
        message:
          'TailscaleOperator \'ops/operator\': `namespace` must be a namespace name: at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit, got "Tailscale"',
      },
      {
        name: 'the version has a v prefix',
        props: { version: 'v1.102.3' },
        field: 'version',
        value: 'v1.102.3',
        message:
          'TailscaleOperator \'ops/operator\': `version` must be a release version such as "1.102.3", got "v1.102.3"; did you mean "1.102.3"?',
      },
    ])('fails when $name', ({ props, field, value, message }) => {
      // GIVEN
      const chart = new Chart(Testing.app(), 'ops');

      // WHEN
      const error = validationError(() => new TailscaleOperator(chart, 'operator', props));

      // THEN
      expect(error.path).toBe("TailscaleOperator 'ops/operator'");
      expect(error.field).toBe(field);
      expect(error.value).toBe(value);
      if (message !== undefined) expect(error.message).toBe(message);
      // Nothing half-written: no construct joined the chart, no tailnet was created.
      expect(chart.node.children).toHaveLength(0);
      expect(chart.node.root.node.children.map((c) => c.node.id)).toStrictEqual(['ops']);
      expect(Testing.synth(chart)).toStrictEqual([]);
    });

    test('fails when credentials ask cdk8s for an OAuth client it cannot create offline', () => {
      // GIVEN
      const chart = new Chart(Testing.app(), 'ops');

      // WHEN
      const error = validationError(
        () => new TailscaleOperator(chart, 'operator', { credentials: OperatorCredentials.oauthClient() }),
      );

      // THEN
      expect(error.path).toBe("TailscaleOperator 'ops/operator'");
      expect(error.field).toBe('credentials');
      expect(error.value).toBe('oauth-client');
      expect(error.allowed).toBe('an existing Secret or workload identity federation');
      expect(error.message).toContain('store it as Secret "operator-oauth" in namespace "tailscale"');
      expect(chart.node.children).toHaveLength(0);
    });

    test('fails when workload identity in cdk8s names no client id', () => {
      // GIVEN
      const chart = new Chart(Testing.app(), 'ops');

      // WHEN
      const error = validationError(
        () =>
          new TailscaleOperator(chart, 'operator', {
            credentials: OperatorCredentials.workloadIdentity({ issuer: 'https://oidc.example.com' }),
          }),
      );

      // THEN
      expect(error.field).toBe('credentials.clientId');
      expect(error.value).toBeUndefined();
      expect(chart.node.children).toHaveLength(0);
    });
  });
});

describe('TailscaleOperator (cdk8s): namespace modes', () => {
  test('an existing namespace is not rendered', () => {
    const chart = new Chart(Testing.app(), 'ops');
    new TailscaleOperator(chart, 'operator', { namespace: 'networking', namespaceMode: 'existing' });
    expect(Testing.synth(chart).filter((o) => o['kind'] === 'Namespace')).toStrictEqual([]);
  });

  test.each([
    ['no construct runs privileged proxies', false, {}],
    ['a Connector runs privileged proxies', true, { 'pod-security.kubernetes.io/enforce': 'privileged' }],
  ])('a shared namespace is labelled only when needed: %s', (_, withConnector, label) => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops');
    new TailscaleOperator(chart, 'operator', { namespace: 'networking', namespaceMode: 'shared' });

    // WHEN
    if (withConnector) new Connector(chart, 'office', { exitNode: true });

    // THEN
    expect(only(Testing.synth(chart), 'Namespace')).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'networking', labels: { ...MANAGED, ...label } },
    });
  });
});

describe('TailscaleOperator (cdk8s): file GitOps targets', () => {
  function synthFiles(gitops: 'fleet' | 'helm' | 'kustomize'): {
    objects: Record<string, unknown>[];
    files: Record<string, string>;
  } {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-gitops-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'ops');
    new TailscaleOperator(chart, 'operator', { gitops, podLabels: { team: 'net' } });
    app.synth();
    const files = Object.fromEntries(
      fs
        .readdirSync(outdir)
        .filter((name) => !name.endsWith('.k8s.yaml') && !name.startsWith('tailnet-'))
        .map((name) => [name, fs.readFileSync(path.join(outdir, name), 'utf8')]),
    );
    const objects = parseAllDocuments(fs.readFileSync(path.join(outdir, 'ops.k8s.yaml'), 'utf8')).map(
      (doc) => doc.toJSON() as Record<string, unknown>,
    );
    fs.rmSync(outdir, { recursive: true });
    return { objects, files };
  }

  const VALUES = {
    operatorConfig: {
      defaultTags: ['tag:k8s-operator'],
      hostname: 'tailscale-operator',
      podLabels: { team: 'net' },
      extraEnv: [PROXY_IMAGE_ENV],
    },
    proxyConfig: { defaultTags: 'tag:k8s' },
  };

  test.each([
    [
      'fleet',
      'fleet.yaml',
      {
        defaultNamespace: 'tailscale',
        helm: {
          releaseName: 'tailscale-operator',
          repo: 'https://pkgs.tailscale.com/helmcharts',
          chart: 'tailscale-operator',
          version: '1.102.3',
          values: VALUES,
        },
      },
    ],
    ['helm', 'values.yaml', VALUES],
    [
      'kustomize',
      'kustomization.yaml',
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        helmCharts: [
          {
            name: 'tailscale-operator',
            repo: 'https://pkgs.tailscale.com/helmcharts',
            version: '1.102.3',
            releaseName: 'tailscale-operator',
            namespace: 'tailscale',
            valuesInline: VALUES,
          },
        ],
      },
    ],
  ] as const)('%s: writes %s and emits no Flux objects', (gitops, fileName, document) => {
    const { objects, files } = synthFiles(gitops);
    expect(objects.map((o) => o['kind'])).toStrictEqual(['Namespace']);
    expect(Object.keys(files)).toStrictEqual([fileName]);
    expect(parse(files[fileName]!)).toStrictEqual(document);
    expect(files[fileName]).toMatch(/^# .*generated by tailkube/);
  });

  test('helm: the header says how to install the values', () => {
    expect(synthFiles('helm').files['values.yaml']).toContain(
      '#   helm upgrade --install tailscale-operator tailscale/tailscale-operator --version 1.102.3 --namespace tailscale --values values.yaml\n',
    );
  });
});

describe('TailscaleOperator (cdk8s): maps without a prototype', () => {
  test('synthesize as plain values in the chart values', () => {
    const chart = new Chart(Testing.app(), 'ops');
    const requests = Object.assign(Object.create(null) as Record<string, string>, { cpu: '100m' });
    new TailscaleOperator(chart, 'operator', { resources: { requests }, nodeSelector: Object.create(null) });
    const release = Testing.synth(chart).find((o) => o.kind === 'HelmRelease');
    expect(release.spec.values.operatorConfig.resources).toStrictEqual({ requests: { cpu: '100m' } });
  });
});
