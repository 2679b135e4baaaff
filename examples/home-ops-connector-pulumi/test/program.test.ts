import { runPulumi } from '@tailkube/testing/pulumi';
import { basePolicy, program } from '../program';

describe('home-ops-connector-pulumi', () => {
  test('creates the Connector custom resource with its tags', async () => {
    const run = await runPulumi(program, { basePolicy });
    const connector = run.objects.find((o) => o.kind === 'Connector');
    expect(connector?.['spec']).toStrictEqual({
      subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
      exitNode: true,
      tags: ['tag:home-ops'],
    });
    expect(run.result.hostnames).toStrictEqual(['home-ops-connector']);
  });

  test('the policy approves the routes and exit node for exactly the Connector tag', async () => {
    const run = await runPulumi(program, { basePolicy });
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
});
