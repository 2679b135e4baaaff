import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { ApiServerProxy, TailscaleOperator } from '@tailkube/cdk8s';
import { capabilitiesAt, deriveTopology } from '@tailkube/core/internal';
import { synthCdk8s } from '@tailkube/testing/cdk8s';

/**
 * The program of docs/guides/read-only-kubectl.md, kept here so it compiles and does what the
 * guide says. Keep the two in step.
 */
function guideProgram(): { app: App; proxy: ApiServerProxy } {
  // --- guide: begin ---
  const app = new App();
  const operator = new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  const proxy = new ApiServerProxy(new Chart(app, 'access'), 'kubectl', { operator });
  proxy.grantAccess(['autogroup:member'], { groups: ['tailnet-readers'], clusterRole: 'view' });
  // --- guide: end ---
  return { app, proxy };
}

describe('the read-only kubectl guide', () => {
  test('the guide quotes this program', () => {
    const source = fs.readFileSync(__filename, 'utf8');
    const program = /--- guide: begin ---\n([\s\S]*?)\n\s*\/\/ --- guide: end ---/.exec(source)?.[1] ?? '';
    const guide = fs.readFileSync(path.join(__dirname, '../../../docs/guides/read-only-kubectl.md'), 'utf8');
    for (const line of program.split('\n')) expect(guide).toContain(line.trim());
  });

  test('every member reaches the API as tailnet-readers, bound to view', () => {
    // Synthesized in memory: nothing is written to the app's outdir.
    const { app, proxy } = guideProgram();
    const { objects, policy } = synthCdk8s(app);
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => o['roleRef'])).toStrictEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    ]);
    const topology = deriveTopology(policy, ['autogroup:member']);
    expect(
      capabilitiesAt(policy, topology, { from: 'autogroup:member', to: 'tag:k8s-operator' }).capabilities,
    ).toStrictEqual({
      'tailscale.com/cap/kubernetes': [{ impersonate: { groups: ['tailnet-readers'] } }],
    });
    expect(proxy.kubeconfigCommand).toBe('tailscale configure kubeconfig tailscale-operator');
  });
});
