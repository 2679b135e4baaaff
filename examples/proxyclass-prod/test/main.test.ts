import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

describe('proxyclass-prod', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxyclass-prod-'));

  test('the Connector refers to the prod ProxyClass, which carries no tags', () => {
    const { objects } = synthCdk8s(buildApp(outdir));
    const proxyClass = objects.find((o) => o.kind === 'ProxyClass');
    const connector = objects.find((o) => o.kind === 'Connector');
    expect(proxyClass?.metadata).toStrictEqual({
      name: 'prod',
      labels: { 'app.kubernetes.io/managed-by': 'tailkube' },
    });
    expect(JSON.stringify(proxyClass)).not.toContain('tag:');
    expect(connector?.['spec']).toStrictEqual({
      subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] },
      tags: ['tag:office-router'],
      proxyClass: 'prod',
    });
  });

  test('only the Connector adds to the policy: its tag and its route', () => {
    const { policy } = synthCdk8s(buildApp(outdir));
    expect(policy.autoApprovers).toStrictEqual({ routes: { '10.20.0.0/16': ['tag:office-router'] } });
    expect(policy.tagOwners).toStrictEqual({
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-operator': [],
      'tag:office-router': ['tag:k8s-operator'],
    });
    expect(policy.grants ?? []).toStrictEqual([]);
  });
});
