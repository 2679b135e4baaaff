import '@tailkube/testing/jest';
import { TestTailnet } from '@tailkube/testing';
import { runPulumi } from '@tailkube/testing/pulumi';
import { tailnetArgs, program } from '../program';

describe('egress-tailnet-db-pulumi', () => {
  test('three ExternalName Services in their namespaces, with the names workloads use', async () => {
    const run = await runPulumi(program, tailnetArgs);
    const services = run.objects.filter((o) => o.kind === 'Service');
    expect(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toStrictEqual([
      'apps/postgres',
      'analytics/postgres',
      'analytics/postgres-replica',
    ]);
    expect(run.result.outputs.dnsNames).toStrictEqual([
      'postgres.apps.svc.cluster.local',
      'postgres.analytics.svc.cluster.local',
      'postgres-replica.analytics.svc.cluster.local',
    ]);
  });

  test('each proxy reaches the database on 5432 and no other port', async () => {
    const run = await runPulumi(program, tailnetArgs);
    const { standalone, egress, primary, replica } = run.result;
    // The standalone Service has a proxy of its own; the analytics Services ride the ProxyGroup's
    // replicas. A Service on the ProxyGroup stands for the database it points at (`tag:db`).
    expect(run).toAllow(standalone, 'tag:db', 5432);
    expect(run).toDeny(standalone, 'tag:db', 5433);
    expect(run).toAllow(egress, primary, 5432);
    expect(run).toAllow(egress, replica, 5432);
    expect(run).toDeny(egress, primary, 5433);
  });

  test('nobody else reaches the database, and the database reaches no proxy', async () => {
    const run = await runPulumi(program, tailnetArgs);
    const { operator, standalone, egress, primary } = run.result;
    const tailnet = TestTailnet.of(run).withUser('carol@example.com');
    // The DBAs own `tag:db`; owning a tag grants no access to its devices.
    for (const user of ['alice@example.com', 'bob@example.com', 'carol@example.com']) {
      expect(tailnet).toDeny(user, primary, 5432);
    }
    expect(tailnet).toDeny(operator, primary, 5432);
    expect(tailnet).toDeny('tag:db', standalone, 5432);
    expect(tailnet).toDeny('tag:db', egress, 5432);
  });

  test('the base policy, with its comments, plus the proxy tags under the operator', async () => {
    const run = await runPulumi(program, tailnetArgs);
    expect(run.policy.tagOwners).toStrictEqual({
      'tag:k8s-operator': ['group:admins'],
      'tag:db': ['group:dba'],
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-egress': ['tag:k8s-operator'],
    });
    expect(run.policyText).toContain('// The database runs outside the cluster');
  });

  test('one DNSConfig with the pinned nameserver', async () => {
    const run = await runPulumi(program, tailnetArgs);
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
