import { canConnect } from '@tailkube/core';
import { runPulumi } from '@tailkube/testing/pulumi';
import { basePolicy, program } from '../program';

describe('egress-tailnet-db-pulumi', () => {
  test('three ExternalName Services in their namespaces, with the names workloads use', async () => {
    const run = await runPulumi(program, { basePolicy });
    const services = run.objects.filter((o) => o.kind === 'Service');
    expect(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toStrictEqual([
      'apps/postgres',
      'analytics/postgres',
      'analytics/postgres-replica',
    ]);
    expect(run.result.dnsNames).toStrictEqual([
      'postgres.apps.svc.cluster.local',
      'postgres.analytics.svc.cluster.local',
      'postgres-replica.analytics.svc.cluster.local',
    ]);
  });

  test('the proxy tags reach exactly port 5432 on the database tag, as with cdk8s', async () => {
    const { policy, policyText } = await runPulumi(program, { basePolicy });
    expect(policy.grants).toStrictEqual([
      { src: ['tag:k8s'], dst: ['tag:db'], ip: ['tcp:5432'] },
      { src: ['tag:k8s-egress'], dst: ['tag:db'], ip: ['tcp:5432'] },
    ]);
    for (const from of ['tag:k8s', 'tag:k8s-egress']) {
      expect(canConnect(policy, undefined, { from, to: 'tag:db', port: 5432 }).allowed).toBe(true);
      expect(canConnect(policy, undefined, { from, to: 'tag:db', port: 5433 }).allowed).toBe(false);
    }
    expect(policyText).toContain('// The database runs outside the cluster');
  });

  test('one DNSConfig with the pinned nameserver', async () => {
    const run = await runPulumi(program, { basePolicy });
    expect(run.objects.filter((o) => o.kind === 'DNSConfig').map((o) => o['spec'])).toStrictEqual([
      {
        nameserver: {
          image: { repo: 'tailscale/k8s-nameserver', tag: 'v1.102.3' },
          service: { clusterIP: '10.43.0.53' },
        },
      },
    ]);
  });
});
