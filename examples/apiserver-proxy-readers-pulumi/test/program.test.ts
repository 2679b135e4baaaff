import '@tailkube/testing/jest';
import { TestTailnet } from '@tailkube/testing';
import { runPulumi } from '@tailkube/testing/pulumi';
import { tailnetArgs, program } from '../program';

const CAP = 'tailscale.com/cap/kubernetes';
const READERS = { impersonate: { groups: ['tailnet-readers'] } };
const MASTERS = { impersonate: { groups: ['system:masters'] } };

describe('apiserver-proxy-readers-pulumi', () => {
  test('the chart runs the proxy in auth mode and members are bound to view', async () => {
    const run = await runPulumi(program, tailnetArgs);
    expect(run.charts[0]?.values['apiServerProxyConfig']).toStrictEqual({ mode: 'true' });
    expect(
      run.objects.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => o.metadata.name),
    ).toStrictEqual(['tailnet-readers-view']);
    expect(run.objects).toContainObject({
      kind: 'ClusterRoleBinding',
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', name: 'tailnet-readers' }],
    });
    expect(run.result.outputs.kubeconfigCommand).toBe('tailscale configure kubeconfig tailscale-operator');
  });

  test('a member reaches the proxy on 443 as tailnet-readers, not as system:masters', async () => {
    const run = await runPulumi(program, tailnetArgs);
    const { proxy } = run.result;
    const tailnet = TestTailnet.of(run).withUser('carol@example.com');
    expect(tailnet).toAllow('carol@example.com', proxy, 443);
    expect(tailnet).toDeny('carol@example.com', proxy, 80);
    expect(tailnet).toGrantCapability('carol@example.com', proxy, CAP, READERS);
    expect(tailnet).not.toGrantCapability('carol@example.com', proxy, CAP, MASTERS);
  });

  test('tagged devices, the cluster proxies among them, get no access', async () => {
    const run = await runPulumi(program, tailnetArgs);
    const { proxy } = run.result;
    const tailnet = TestTailnet.of(run).withDevice('ci-runner', { tags: ['tag:ci'] });
    expect(tailnet).toDeny('tag:ci', proxy, 443);
    expect(tailnet).toDeny('tag:k8s', proxy, 443);
    expect(tailnet).not.toGrantCapability('tag:ci', proxy, CAP);
  });

  test('admins are granted system:masters, explicitly', async () => {
    // The evaluator does not model user roles yet, so `autogroup:admin` has no device to ask
    // about: the grant itself is what can be checked.
    const run = await runPulumi(program, tailnetArgs);
    expect(run.policy.grants).toStrictEqual([
      { src: ['autogroup:admin'], dst: ['tag:k8s-operator'], ip: ['tcp:443'], app: { [CAP]: [MASTERS] } },
      { src: ['autogroup:member'], dst: ['tag:k8s-operator'], ip: ['tcp:443'], app: { [CAP]: [READERS] } },
    ]);
  });
});
