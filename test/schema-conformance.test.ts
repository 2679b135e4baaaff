import { Chart, type App } from 'cdk8s';
import { OperatorKustomizations, TailscaleOperator, type TailscaleOperatorProps } from '@tailkube/cdk8s';
import { OperatorCredentials } from '@tailkube/core';
import { TailscaleOperator as PulumiTailscaleOperator, runWithMocks, tailnetProgram } from '@tailkube/pulumi';
import { CREDENTIAL_VARIANTS, FULL_OPERATOR_PROPS } from './helpers/operator-props';
import { registeredKubeObjects } from './helpers/pulumi';
import { expectValidKubeObjects, validateKubeObject } from './helpers/schemas';
import { kubeObjects, synthApp } from './helpers/synth';

function operatorApp(props: TailscaleOperatorProps = {}): (app: App) => void {
  return (app) => new TailscaleOperator(new Chart(app, 'operator'), 'Operator', props);
}

function kinds(objs: readonly { readonly apiVersion?: unknown; readonly kind?: unknown }[]): string[] {
  return objs.map((o) => `${String(o.apiVersion)}/${String(o.kind)}`).sort();
}

describe('the validator', () => {
  // The checks below are only worth something if the validator can fail.
  test('accepts a valid custom resource and a valid core object', () => {
    expect(
      validateKubeObject({
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'Connector',
        metadata: { name: 'office' },
        spec: { subnetRouter: { advertiseRoutes: ['10.0.0.0/8', 'fd7a:115c:a1e0::/48'] } },
      }),
    ).toStrictEqual([]);
    expect(
      validateKubeObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }),
    ).toStrictEqual([]);
  });

  test('fails when a custom resource has a field its CRD does not declare', () => {
    const errors = validateKubeObject({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'x', namespace: 'y' },
      spec: {
        interval: '1h',
        chart: { spec: { chart: 'c', sourceRef: { kind: 'HelmRepository', name: 'r' } } },
        valuse: {},
      },
    });
    expect(errors).toStrictEqual([
      "helm.toolkit.fluxcd.io/v2 HelmRelease 'y/x': /spec must NOT have additional properties (valuse)",
    ]);
  });

  test('fails when a custom resource breaks its schema (type, enum, cidr format)', () => {
    const errors = validateKubeObject({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'Connector',
      metadata: { name: 'office' },
      spec: { subnetRouter: { advertiseRoutes: ['10.0.0.300/8'] }, exitNode: 'yes' },
    });
    expect(errors).toStrictEqual(
      expect.arrayContaining([
        'tailscale.com/v1alpha1 Connector \'office\': /spec/subnetRouter/advertiseRoutes/0 must match format "cidr"',
        "tailscale.com/v1alpha1 Connector 'office': /spec/exitNode must be boolean",
      ]),
    );
  });

  test('fails when a core object breaks its schema', () => {
    expect(
      validateKubeObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { n: 1 } } }),
    ).toStrictEqual(["v1 Namespace 'a': data/metadata/labels/n must be string"]);
  });

  test('fails when the kind is unknown', () => {
    expect(
      validateKubeObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toStrictEqual([
      "example.com/v1 Widget 'w': no schema known for this kind (neither a reference CRD nor a kubernetes-models core kind)",
    ]);
    expect(validateKubeObject({ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } })).toHaveLength(1);
    // A served version only: HelmRelease v2beta1 is not in the reference CRD.
    expect(
      validateKubeObject({
        apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        kind: 'HelmRelease',
        metadata: { name: 'w' },
      }),
    ).toHaveLength(1);
  });
});

describe('cdk8s: every synthesized object is valid against its schema', () => {
  test('the default operator (Flux)', () => {
    const objs = kubeObjects(synthApp(operatorApp()));
    expect(kinds(objs)).toStrictEqual([
      'helm.toolkit.fluxcd.io/v2/HelmRelease',
      'source.toolkit.fluxcd.io/v1/HelmRepository',
      'v1/Namespace',
    ]);
    expectValidKubeObjects(objs);
  });

  test('the operator installed by Argo CD', () => {
    const objs = kubeObjects(
      synthApp(operatorApp({ gitops: 'argocd', argoCd: { namespace: 'gitops', project: 'platform' } })),
    );
    expect(kinds(objs)).toStrictEqual(['argoproj.io/v1alpha1/Application', 'v1/Namespace']);
    expectValidKubeObjects(objs);
  });

  test.each(['flux', 'argocd'] as const)('the operator with every prop set (%s)', (gitops) => {
    const objs = kubeObjects(synthApp(operatorApp({ ...FULL_OPERATOR_PROPS, gitops })));
    expect(objs).toHaveLength(gitops === 'flux' ? 3 : 2);
    expectValidKubeObjects(objs);
  });

  test.each(['fleet', 'helm', 'kustomize'] as const)(
    'the operator installed from a %s file: only its Namespace is an object',
    (gitops) => {
      const objs = kubeObjects(synthApp(operatorApp({ ...FULL_OPERATOR_PROPS, gitops })));
      expect(kinds(objs)).toStrictEqual(['v1/Namespace']);
      expectValidKubeObjects(objs);
    },
  );

  test.each(Object.entries(CREDENTIAL_VARIANTS))(
    'the operator with credentials from %s',
    (_, credentials) => {
      expectValidKubeObjects(kubeObjects(synthApp(operatorApp({ credentials }))));
    },
  );

  test('the operator in a chart that stamps a namespace on its objects', () => {
    const objs = kubeObjects(
      synthApp(
        (app) => new TailscaleOperator(new Chart(app, 'operator', { namespace: 'tailscale' }), 'Operator'),
      ),
    );
    expectValidKubeObjects(objs);
  });

  test('OperatorKustomizations', () => {
    const objs = kubeObjects(
      synthApp((app) => {
        operatorApp()(app);
        new OperatorKustomizations(new Chart(app, 'flux'), 'Kustomizations', {
          sourceRef: { kind: 'GitRepository', name: 'fleet' },
          operatorPath: './clusters/prod/operator',
          resourcesPath: './clusters/prod/tailscale',
        });
      }),
    );
    expect(kinds(objs).filter((k) => k.endsWith('/Kustomization'))).toHaveLength(2);
    expectValidKubeObjects(objs);
  });
});

describe('Pulumi: every Kubernetes object the TailscaleOperator registers is valid', () => {
  test('with a new OAuth client (Namespace and Secret)', async () => {
    const { resources } = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new PulumiTailscaleOperator('operator');
      }),
    );
    const objs = registeredKubeObjects(resources);
    expect(kinds(objs)).toStrictEqual(['v1/Namespace', 'v1/Secret']);
    expectValidKubeObjects(objs);
  });

  test('with every prop set and workload identity (Namespace only)', async () => {
    const { resources } = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new PulumiTailscaleOperator('operator', {
          ...FULL_OPERATOR_PROPS,
          credentials: OperatorCredentials.workloadIdentity({ issuer: 'https://oidc.example.com' }),
        });
      }),
    );
    const objs = registeredKubeObjects(resources);
    expect(kinds(objs)).toStrictEqual(['v1/Namespace']);
    expectValidKubeObjects(objs);
  });
});
