import '@tailkube/testing/jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { App } from 'cdk8s';
import { TailscaleOperator } from '@tailkube/cdk8s';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

interface HelmRelease {
  spec: { chart: { spec: { version: string } }; values: { proxyConfig: { defaultTags: string } } };
}

/** The operator construct of the app. */
function operatorOf(app: App): TailscaleOperator {
  const found = app.node.findAll().find((c): c is TailscaleOperator => c instanceof TailscaleOperator);
  if (!found) throw new Error('the app declares no TailscaleOperator');
  return found;
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
    const result = synthCdk8s(buildApp(outdir));
    expect(result.objects).toContainObject({
      metadata: { name: 'tailscale-resources' },
      spec: { dependsOn: [{ name: 'tailscale-operator' }] },
    });
  });

  test('nothing is reachable until granted: no member reaches the operator or a proxy', () => {
    const app = buildApp(outdir);
    const result = synthCdk8s(app);
    expect(result).toDeny('autogroup:member', operatorOf(app), 443);
    expect(result).toDeny('autogroup:member', 'tag:k8s', 443);
    expect(result).toDeny('autogroup:member', 'tag:homelab', 22);
  });

  test('proxies do not reach the operator, nor each other', () => {
    const app = buildApp(outdir);
    const result = synthCdk8s(app);
    expect(result).toDeny('tag:k8s', operatorOf(app), 443);
    expect(result).toDeny('tag:k8s', 'tag:homelab', 443);
  });
});
