import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canConnect } from '@tailkube/core';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { DATABASE_FQDN, buildApp } from '../main';

describe('egress-tailnet-db', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'egress-tailnet-db-'));
  const synth = () => synthCdk8s(buildApp(outdir));

  test('three ExternalName Services: one standalone, two on the egress ProxyGroup', () => {
    const services = synth().objects.filter((o) => o.kind === 'Service');
    expect(
      services.map((s) => [s.metadata.namespace, s.metadata.name, s.metadata.annotations]),
    ).toStrictEqual([
      ['apps', 'postgres', { 'tailscale.com/tailnet-fqdn': DATABASE_FQDN, 'tailscale.com/tags': 'tag:k8s' }],
      [
        'analytics',
        'postgres',
        { 'tailscale.com/tailnet-fqdn': DATABASE_FQDN, 'tailscale.com/proxy-group': 'db-egress' },
      ],
      [
        'analytics',
        'postgres-replica',
        { 'tailscale.com/tailnet-ip': '100.100.12.8', 'tailscale.com/proxy-group': 'db-egress' },
      ],
    ]);
    for (const service of services) {
      expect(service['spec']).toStrictEqual({
        type: 'ExternalName',
        externalName: 'placeholder',
        ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
      });
    }
  });

  test('the proxy tags reach exactly port 5432 on the database tag, and nothing else is granted', () => {
    const { policy } = synth();
    expect(policy.grants).toStrictEqual([
      { src: ['tag:k8s'], dst: ['tag:db'], ip: ['tcp:5432'] },
      { src: ['tag:k8s-egress'], dst: ['tag:db'], ip: ['tcp:5432'] },
    ]);
    for (const from of ['tag:k8s', 'tag:k8s-egress']) {
      expect(canConnect(policy, undefined, { from, to: 'tag:db', port: 5432 }).allowed).toBe(true);
      expect(canConnect(policy, undefined, { from, to: 'tag:db', port: 5433 }).allowed).toBe(false);
    }
    expect(policy.tagOwners).toStrictEqual({
      'tag:k8s-operator': ['group:admins'],
      'tag:db': ['group:dba'],
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-egress': ['tag:k8s-operator'],
    });
  });

  test('one DNSConfig with the pinned nameserver, and the CoreDNS stub for ts.net', () => {
    const { objects } = synth();
    expect(objects.find((o) => o.kind === 'DNSConfig')?.['spec']).toStrictEqual({
      nameserver: {
        image: { repo: 'tailscale/k8s-nameserver', tag: 'v1.102.3' },
        service: { clusterIP: '10.43.0.53' },
      },
    });
    expect(objects.find((o) => o.kind === 'ConfigMap')?.['data']).toStrictEqual({
      'tailscale-ts-net.server': 'ts.net:53 {\n    errors\n    cache 30\n    forward . 10.43.0.53\n}\n',
    });
  });
});
