import {
  ProxyGroup,
  ProxyGroupPolicy,
  TailscaleIngress,
  TailscaleOperator,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
} from '@tailkube/pulumi';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';
import { only } from './helpers/pulumi';

const POLICY = 'kubernetes:tailscale.com/v1alpha1:ProxyGroupPolicy';

describe('ProxyGroupPolicy (Pulumi)', () => {
  test('a namespaced custom resource listing the groups by name', async () => {
    const mocked = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new TailscaleOperator('operator');
        const ingress = new ProxyGroup('shared-ingress', { type: 'ingress' });
        new ProxyGroupPolicy('team-a', { namespace: 'team-a', ingress: [ingress] });
      }),
    );
    const resource = only(mocked, POLICY);
    expect(resource.inputs).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'ProxyGroupPolicy',
      metadata: {
        name: 'team-a',
        namespace: 'team-a',
        labels: { 'app.kubernetes.io/managed-by': 'tailkube' },
      },
      spec: { ingress: ['shared-ingress'], egress: [] },
    });
    expectValidKubeObjects([resource.inputs]);
  });

  test('fails without a namespace', async () => {
    const error: unknown = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new ProxyGroupPolicy('team-a', {});
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isValidationError(error)).toBe(true);
    expect([(error as ValidationError).path, (error as ValidationError).field]).toStrictEqual([
      "ProxyGroupPolicy 'team-a'",
      'namespace',
    ]);
  });

  test('an Ingress in its namespace on a group it does not list fails the program', async () => {
    const error: unknown = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new TailscaleOperator('operator');
        const web = new ProxyGroup('web', { type: 'ingress' });
        const internal = new ProxyGroup('internal', { type: 'ingress' });
        new ProxyGroupPolicy('team-a', { namespace: 'team-a', ingress: [web] });
        new TailscaleIngress('dash', {
          namespace: 'team-a',
          defaultBackend: { serviceName: 'dash', port: 80 },
          proxyGroup: internal,
        });
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isValidationError(error)).toBe(true);
    const { path, field, value } = error as ValidationError;
    expect([path, field, value]).toStrictEqual(["TailscaleIngress 'dash'", 'proxyGroup', 'internal']);
  });
});
