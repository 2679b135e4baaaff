import {
  ProxyGroup,
  ProxyGroupPolicy,
  TailscaleIngress,
  TailscaleOperator,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
  type Tailnet,
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

  test('warns in the report that the namespace refuses Services and Ingresses without annotations', async () => {
    let tailnet: Tailnet | undefined;
    await runWithMocks(() =>
      tailnetProgram({}, (t) => {
        tailnet = t;
        new TailscaleOperator('operator');
        new ProxyGroupPolicy('team-a', { namespace: 'team-a' });
      }),
    );
    const { warnings } = tailnet!.seal().report;
    expect(warnings).toHaveLength(1);
    expect(warnings?.[0]).toMatch(
      /^ProxyGroupPolicy 'team-a': up to operator v1\.102\.3, the API server refuses every Service and Ingress without annotations in namespace "team-a".*tailscale\/tailscale#20906/,
    );
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
