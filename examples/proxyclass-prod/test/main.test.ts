import '@tailkube/testing/jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { App } from 'cdk8s';
import { Connector } from '@tailkube/cdk8s';
import { TestTailnet } from '@tailkube/testing';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { buildApp } from '../main';

/** The office Connector of the app. */
function connectorOf(app: App): Connector {
  const found = app.node.findAll().find((c): c is Connector => c instanceof Connector);
  if (!found) throw new Error('the app declares no Connector');
  return found;
}

describe('proxyclass-prod', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxyclass-prod-'));

  test('the Connector refers to the prod ProxyClass, which carries no tags', () => {
    const { objects } = synthCdk8s(buildApp(outdir));
    const proxyClass = objects.find((o) => o.kind === 'ProxyClass');
    expect(proxyClass?.metadata).toStrictEqual({
      name: 'prod',
      labels: { 'app.kubernetes.io/managed-by': 'tailkube' },
    });
    expect(JSON.stringify(proxyClass)).not.toContain('tag:');
    expect(objects).toContainObject({
      kind: 'Connector',
      spec: {
        subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] },
        tags: ['tag:office-router'],
        proxyClass: 'prod',
      },
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

  test('the route is approved, but nobody may use it until the program grants it', () => {
    // A ProxyClass shapes the proxy's pods, not its access: the office LAN and the router stay closed.
    const app = buildApp(outdir);
    const tailnet = TestTailnet.of(synthCdk8s(app)).withUser('alice@example.com');
    expect(tailnet).toDeny('alice@example.com', '10.20.0.10', 443);
    expect(tailnet).toDeny('autogroup:member', connectorOf(app), 22);
  });
});
