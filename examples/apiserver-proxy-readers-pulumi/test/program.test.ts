import { canConnect, capabilitiesAt, deriveTopology } from '@tailkube/core';
import { runPulumi } from '@tailkube/testing/pulumi';
import { basePolicy, program } from '../program';

const CAP = 'tailscale.com/cap/kubernetes';

describe('apiserver-proxy-readers-pulumi', () => {
  test('the chart runs the proxy in auth mode and members are bound to view', async () => {
    const run = await runPulumi(program, { basePolicy });
    expect(run.charts[0]?.values['apiServerProxyConfig']).toStrictEqual({ mode: 'true' });
    expect(
      run.objects.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => o.metadata.name),
    ).toStrictEqual(['kubectl-tailnet-readers-view']);
    expect(run.result.kubeconfigCommand).toBe('tailscale configure kubeconfig tailscale-operator');
  });

  test('members reach the proxy as tailnet-readers; a device without a grant does not', async () => {
    const { policy } = await runPulumi(program, { basePolicy });
    const topology = deriveTopology(policy, ['autogroup:member', 'tag:ci']);
    expect(
      capabilitiesAt(policy, topology, { from: 'autogroup:member', to: 'tag:k8s-operator' }).capabilities,
    ).toStrictEqual({
      [CAP]: [{ impersonate: { groups: ['tailnet-readers'] } }],
    });
    expect(canConnect(policy, topology, { from: 'tag:ci', to: 'tag:k8s-operator', port: 443 }).allowed).toBe(
      false,
    );
    expect(policy.grants?.map((g) => g.src)).toStrictEqual([['autogroup:admin'], ['autogroup:member']]);
  });
});
