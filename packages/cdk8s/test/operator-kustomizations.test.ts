import { Chart, Testing } from 'cdk8s';
import { OperatorKustomizations } from '@tailkube/cdk8s';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

describe('OperatorKustomizations', () => {
  test('the resources Kustomization depends on the operator Kustomization, which waits for it', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'flux');

    // WHEN
    new OperatorKustomizations(chart, 'kustomizations', {
      sourceRef: { kind: 'GitRepository', name: 'cluster' },
      operatorPath: './dist/operator',
      resourcesPath: './dist/resources',
    });

    // THEN
    expect(Testing.synth(chart)).toStrictEqual([
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'tailscale-operator', namespace: 'flux-system', labels: MANAGED },
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
        metadata: { name: 'tailscale-resources', namespace: 'flux-system', labels: MANAGED },
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

  test('the namespace prop wins over the chart namespace', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'flux', { namespace: 'apps' });

    // WHEN
    new OperatorKustomizations(chart, 'kustomizations', {
      sourceRef: { kind: 'OCIRepository', name: 'manifests' },
      operatorPath: 'operator',
      resourcesPath: 'resources',
      namespace: 'gitops',
    });

    // THEN
    const manifest = Testing.synth(chart);
    expect(manifest.map((object) => object.metadata)).toStrictEqual([
      { name: 'tailscale-operator', namespace: 'gitops', labels: MANAGED },
      { name: 'tailscale-resources', namespace: 'gitops', labels: MANAGED },
    ]);
    expect(manifest.map((object) => object.spec.sourceRef)).toStrictEqual([
      { kind: 'OCIRepository', name: 'manifests' },
      { kind: 'OCIRepository', name: 'manifests' },
    ]);
  });

  test('registers nothing with the tailnet', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'flux');

    // WHEN
    new OperatorKustomizations(chart, 'kustomizations', {
      sourceRef: { kind: 'Bucket', name: 'b' },
      operatorPath: 'o',
      resourcesPath: 'r',
    });

    // THEN: no Tailnet was created for it
    expect(app.node.children.map((c) => c.node.id)).toStrictEqual(['flux']);
  });
});
