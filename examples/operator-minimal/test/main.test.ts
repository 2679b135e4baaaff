import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

interface HelmRelease {
  spec: { chart: { spec: { version: string } }; values: { proxyConfig: { defaultTags: string } } };
}

describe('operator-minimal', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-minimal-'));

  test('installs the pinned chart with the proxy tags as one comma-separated string', () => {
    const { objects } = synthCdk8s(buildApp(outdir));
    const release = objects.find((o) => o.kind === 'HelmRelease') as HelmRelease | undefined;
    expect(release?.spec.chart.spec.version).toBe('1.102.3');
    expect(release?.spec.values.proxyConfig.defaultTags).toBe('tag:k8s,tag:homelab');
  });

  test('the operator tag owns every proxy tag, and the client needs only the least scopes', () => {
    const { policy, requirements } = synthCdk8s(buildApp(outdir));
    expect(policy.tagOwners).toStrictEqual({
      'tag:homelab': ['tag:k8s-operator'],
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-operator': [],
    });
    expect(requirements.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core']);
    expect(requirements.operator?.credentials).toStrictEqual({
      kind: 'existing-secret',
      secretName: 'operator-oauth',
    });
  });

  test('the custom resources wait for the operator', () => {
    const { objects } = synthCdk8s(buildApp(outdir));
    const resources = objects.find((o) => o.metadata.name === 'tailscale-resources') as
      { spec: { dependsOn: unknown } } | undefined;
    expect(resources?.spec.dependsOn).toStrictEqual([{ name: 'tailscale-operator' }]);
  });
});
