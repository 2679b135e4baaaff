import { ApiServerProxy, TailscaleOperator } from '@tailkube/pulumi';

/** The tailnet policy the program starts from; tailkube adds what the cluster needs. */
export const basePolicy = `{
  "tagOwners": {
    // Admins own the operator's tag.
    "tag:k8s-operator": ["autogroup:admin"],
  },
}
`;

/**
 * The read-only `kubectl` setup with Pulumi: the operator with its in-process API server proxy,
 * tailnet admins as `system:masters`, every other member bound to `view` through `tailnet-readers`.
 * Runs inside `tailnetProgram`, which seals the tailnet (and renders the chart values) when it
 * returns.
 */
export async function program(): Promise<{ kubeconfigCommand: string }> {
  const operator = new TailscaleOperator('operator');
  const proxy = new ApiServerProxy('kubectl', { operator });
  // system:masters bypasses RBAC: allowed here on purpose, for the tailnet's admins only.
  proxy.grantAccess('autogroup:admin', { groups: ['system:masters'], allowSystemMasters: true });
  proxy.grantAccess('autogroup:member', { groups: ['tailnet-readers'], clusterRole: 'view' });
  return { kubeconfigCommand: proxy.kubeconfigCommand };
}
