import '@tailkube/testing/jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestTailnet } from '@tailkube/testing';
import { constructAt, synthCdk8s } from '@tailkube/testing/cdk8s';
import { DATABASE_FQDN, REPLICA_IP, buildApp } from '../main';

describe('egress-tailnet-db', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-tailnet-db-'));

  /** The app, its egress proxies and Services, and what it synthesizes. */
  function egress() {
    const app = buildApp(outdir);
    return {
      standalone: constructAt(app, 'apps/postgres'),
      group: constructAt(app, 'analytics/db-egress'),
      onGroup: [constructAt(app, 'analytics/postgres'), constructAt(app, 'analytics/postgres-replica')],
      result: synthCdk8s(app),
    };
  }

  test('three ExternalName Services on port 5432: one standalone, two on the egress ProxyGroup', () => {
    const { objects } = egress().result;
    const services = [
      ['apps', 'postgres', { 'tailscale.com/tailnet-fqdn': DATABASE_FQDN, 'tailscale.com/tags': 'tag:k8s' }],
      [
        'analytics',
        'postgres',
        { 'tailscale.com/tailnet-fqdn': DATABASE_FQDN, 'tailscale.com/proxy-group': 'db-egress' },
      ],
      [
        'analytics',
        'postgres-replica',
        { 'tailscale.com/tailnet-ip': REPLICA_IP, 'tailscale.com/proxy-group': 'db-egress' },
      ],
    ] as const;
    expect(objects.filter((o) => o.kind === 'Service')).toHaveLength(services.length);
    for (const [namespace, name, annotations] of services) {
      expect(objects).toContainObject({
        kind: 'Service',
        metadata: { namespace, name, annotations },
        spec: {
          type: 'ExternalName',
          externalName: 'placeholder',
          ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
        },
      });
    }
  });

  test('the standalone proxy and the egress group reach the database on 5432 alone', () => {
    const { result, standalone, group, onGroup } = egress();
    for (const proxy of [standalone, group]) {
      expect(result).toAllow(proxy, 'tag:db', 5432);
      expect(result).toDeny(proxy, 'tag:db', 5433);
      expect(result).toDeny(proxy, 'tag:db', 5432, 'udp');
    }
    // The Services on the group are reached, by the group's devices, at the database they name
    for (const service of onGroup) expect(result).toAllow(group, service, 5432);
  });

  test('nobody else reaches the database, and the database does not reach the proxies', () => {
    const { result, standalone, group } = egress();
    const tailnet = TestTailnet.of(result).withDevice('ci-runner', { tags: ['tag:ci'] });
    expect(tailnet).toDeny('group:dba', 'tag:db', 5432);
    expect(tailnet).toDeny('autogroup:member', 'tag:db', 5432);
    expect(tailnet).toDeny('tag:ci', 'tag:db', 5432);
    expect(tailnet).toDeny('tag:db', standalone, 5432);
    expect(tailnet).toDeny('tag:db', group, 5432);
    expect(result.policy.grants).toStrictEqual([
      { src: ['tag:k8s'], dst: ['tag:db'], ip: ['tcp:5432'] },
      { src: ['tag:k8s-egress'], dst: ['tag:db'], ip: ['tcp:5432'] },
    ]);
  });

  test('the operator owns both proxy tags; the DBAs keep the database tag', () => {
    const { policy } = egress().result;
    expect(policy.tagOwners).toStrictEqual({
      'tag:k8s-operator': ['group:admins'],
      'tag:db': ['group:dba'],
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-egress': ['tag:k8s-operator'],
    });
  });

  test('one DNSConfig with the pinned nameserver, and the CoreDNS stub for ts.net', () => {
    const { objects } = egress().result;
    expect(objects).toContainObject({
      kind: 'DNSConfig',
      spec: {
        nameserver: {
          image: { repo: 'tailscale/k8s-nameserver', tag: 'v1.102.3' },
          service: { clusterIP: '10.43.0.53' },
        },
      },
    });
    expect(objects).toContainObject({
      kind: 'ConfigMap',
      data: {
        'tailscale-ts-net.server': 'ts.net:53 {\n    errors\n    cache 30\n    forward . 10.43.0.53\n}\n',
      },
    });
  });
});
