import '@tailkube/testing/jest';
import { TestTailnet } from '@tailkube/testing';
import { runPulumi } from '@tailkube/testing/pulumi';
import { tailnetArgs, program } from '../program';

describe('home-ops-connector-pulumi', () => {
  test('creates the Connector custom resource with its tags', async () => {
    const run = await runPulumi(program, tailnetArgs);
    expect(run.objects).toContainObject({
      kind: 'Connector',
      spec: {
        subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
        exitNode: true,
        tags: ['tag:home-ops'],
      },
    });
    expect(run.result.hostnames).toStrictEqual(['home-ops-connector']);
  });

  test('the operator shares networking with envoy, labelled privileged because the Connector needs it', async () => {
    const run = await runPulumi(program, tailnetArgs);
    expect(run.objects.filter((o) => o.kind === 'Namespace')).toMatchObject([
      { metadata: { name: 'networking', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } },
    ]);
    expect(run.charts).toMatchObject([{ namespace: 'networking' }]);
    expect(run.requirements.operatorNamespace).toStrictEqual({
      name: 'networking',
      mode: 'shared',
      privileged: true,
      privilegedBy: ["Connector 'home-ops'"],
    });
  });

  test('the policy approves the routes and exit node for exactly the Connector tag', async () => {
    const run = await runPulumi(program, tailnetArgs);
    expect(run.policy.autoApprovers).toStrictEqual({
      routes: {
        '10.244.0.0/16': ['tag:home-ops'],
        '10.96.0.0/12': ['tag:home-ops'],
        '192.168.0.0/24': ['tag:home-ops'],
      },
      exitNode: ['tag:home-ops'],
    });
    expect(run.policy.grants).toStrictEqual([
      { src: ['group:family'], dst: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'], ip: ['*'] },
      { src: ['group:family'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:home-ops'] },
    ]);
    expect(run.policyText).toContain("// Admins own the operator's tag");
  });

  test('the family reaches the home LAN, the pods and the services, and the internet through the exit node', async () => {
    const run = await runPulumi(program, tailnetArgs);
    expect(run).toAllow('group:family', '192.168.0.20', 443);
    expect(run).toAllow('bob@example.com', '10.244.3.7', 8080);
    expect(run).toAllow('group:family', '10.96.0.10', 53, 'udp');
    expect(run).toAllow('group:family', '1.1.1.1', 443);
  });

  test('nobody outside the family does', async () => {
    const run = await runPulumi(program, tailnetArgs);
    const tailnet = TestTailnet.of(run).withUser('guest@example.com');
    expect(tailnet).toDeny('guest@example.com', '192.168.0.20', 443);
    expect(tailnet).toDeny('guest@example.com', '1.1.1.1', 443);
    expect(tailnet).toDeny('autogroup:member', '10.244.3.7', 8080);
    expect(tailnet).toDeny('tag:home-ops', '192.168.0.20', 443);
  });
});
