import { App, Chart } from 'cdk8s';
import { ApiServerProxy, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';

/** The tailnet policy the cluster joins; tailkube adds what the program needs. */
export const basePolicy = `{
  "tagOwners": {
    // Admins own the operator's tag.
    "tag:k8s-operator": ["autogroup:admin"],
  },
}
`;

/**
 * `kubectl` for the whole tailnet through the operator's in-process API server proxy: tailnet
 * admins as `system:masters`, every other member read-only through the `view` ClusterRole. Each
 * `grantAccess` writes the capability grant and the ClusterRoleBinding together.
 */
export function buildApp(outdir: string): { app: App; proxy: ApiServerProxy } {
  const app = new App({ outdir });
  new Tailnet(app, 'Tailnet', { basePolicy, allowAll: 'deny' });

  const operator = new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');

  const access = new Chart(app, 'access');
  const proxy = new ApiServerProxy(access, 'kubectl', { operator });
  // system:masters bypasses RBAC: allowed here on purpose, for the tailnet's admins only.
  proxy.grantAccess(['autogroup:admin'], { groups: ['system:masters'], allowSystemMasters: true });
  // The binding takes the cluster's own name, `<group>-<role>`, instead of the default
  // `<proxy>-<group>-<role>` (`kubectl-tailnet-readers-view`).
  proxy.grantAccess(['autogroup:member'], {
    groups: ['tailnet-readers'],
    clusterRole: 'view',
    clusterRoleBindingName: 'tailnet-readers-view',
  });

  return { app, proxy };
}

if (require.main === module) {
  const { app, proxy } = buildApp(process.env['TAILKUBE_OUTDIR'] ?? 'dist/manifests');
  app.synth();
  console.log(`kubectl access: ${proxy.kubeconfigCommand}`);
}
