import {
  GITOPS_ENGINES,
  GITOPS_FILE_ENGINES,
  OperatorCredentials,
  isGitOpsFileEngine,
  operatorChart,
  renderArgoCdApplication,
  renderFluxHelmRelease,
  renderFluxHelmRepository,
  renderFluxKustomizations,
  renderGitOpsFile,
  resolveTailscaleOperatorProps,
} from '../../src/internal';

const chart = operatorChart(
  resolveTailscaleOperatorProps(
    "TailscaleOperator 'app/operator'",
    { namespace: 'ts' },
    {
      defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
      createsOAuthClient: false,
      createsFederatedIdentity: false,
    },
  ),
);
const values = { proxyConfig: { defaultTags: 'tag:k8s' } };
const LABELS = { 'app.kubernetes.io/managed-by': 'tailkube' };

test('offers Flux, Argo CD, Fleet, Helm and Kustomize', () => {
  expect(GITOPS_ENGINES).toStrictEqual(['flux', 'argocd', 'fleet', 'helm', 'kustomize']);
});

test('renderFluxHelmRepository points at Tailscale’s chart repository', () => {
  expect(renderFluxHelmRepository(chart)).toStrictEqual({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name: 'tailscale', namespace: 'ts', labels: LABELS },
    spec: { interval: '1h', url: 'https://pkgs.tailscale.com/helmcharts' },
  });
});

test('renderFluxHelmRelease installs the pinned chart with the values', () => {
  expect(renderFluxHelmRelease(chart, values)).toStrictEqual({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'tailscale-operator', namespace: 'ts', labels: LABELS },
    spec: {
      interval: '1h',
      releaseName: 'tailscale-operator',
      chart: {
        spec: {
          chart: 'tailscale-operator',
          version: '1.102.3',
          sourceRef: { kind: 'HelmRepository', name: 'tailscale', namespace: 'ts' },
        },
      },
      values: { proxyConfig: { defaultTags: 'tag:k8s' } },
    },
  });
});

describe('renderArgoCdApplication', () => {
  test('defaults to the argocd namespace and the default project', () => {
    expect(renderArgoCdApplication(chart, values)).toStrictEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'tailscale-operator', namespace: 'argocd', labels: LABELS },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://pkgs.tailscale.com/helmcharts',
          chart: 'tailscale-operator',
          targetRevision: '1.102.3',
          helm: {
            releaseName: 'tailscale-operator',
            valuesObject: { proxyConfig: { defaultTags: 'tag:k8s' } },
          },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'ts' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  });

  test('takes the namespace and project from the options', () => {
    const application = renderArgoCdApplication(chart, values, { namespace: 'gitops', project: 'infra' });
    expect(application.metadata.namespace).toBe('gitops');
    expect((application['spec'] as { project: string }).project).toBe('infra');
  });
});

describe('renderFluxKustomizations', () => {
  test('applies the resources only after the operator', () => {
    expect(
      renderFluxKustomizations({
        sourceRef: { kind: 'GitRepository', name: 'cluster' },
        operatorPath: './dist/operator',
        resourcesPath: './dist/resources',
      }),
    ).toStrictEqual([
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'tailscale-operator', namespace: 'flux-system', labels: LABELS },
        spec: {
          interval: '10m',
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'cluster' },
          path: './dist/operator',
          wait: true,
        },
      },
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'tailscale-resources', namespace: 'flux-system', labels: LABELS },
        spec: {
          interval: '10m',
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'cluster' },
          path: './dist/resources',
          dependsOn: [{ name: 'tailscale-operator' }],
        },
      },
    ]);
  });

  test('takes the namespace from the options', () => {
    const kustomizations = renderFluxKustomizations({
      sourceRef: { kind: 'OCIRepository', name: 'oci' },
      operatorPath: 'a',
      resourcesPath: 'b',
      namespace: 'flux',
    });
    expect(kustomizations.map((k) => k.metadata.namespace)).toStrictEqual(['flux', 'flux']);
  });
});

describe('renderGitOpsFile', () => {
  test('the file engines are the engines that render no Kubernetes object', () => {
    expect(GITOPS_ENGINES.filter(isGitOpsFileEngine)).toStrictEqual([...GITOPS_FILE_ENGINES]);
  });

  test.each([
    ['fleet', 'fleet.yaml', { defaultNamespace: 'ts' }],
    ['helm', 'values.yaml', values],
    ['kustomize', 'kustomization.yaml', { kind: 'Kustomization' }],
  ] as const)('%s: %s in the operator namespace, at the chart version', (engine, fileName, shape) => {
    const file = renderGitOpsFile(engine, chart, values);
    expect(file.fileName).toBe(fileName);
    expect(file.document).toMatchObject(shape);
    expect(JSON.stringify(file)).toContain('1.102.3');
  });

  test('kustomize: one helmCharts entry with the values inline', () => {
    expect(renderGitOpsFile('kustomize', chart, values).document).toStrictEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      helmCharts: [
        {
          name: 'tailscale-operator',
          repo: 'https://pkgs.tailscale.com/helmcharts',
          version: '1.102.3',
          releaseName: 'tailscale-operator',
          namespace: 'ts',
          valuesInline: values,
        },
      ],
    });
  });
});
