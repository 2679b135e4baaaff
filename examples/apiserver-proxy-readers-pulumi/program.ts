import { ApiServerProxy, TailscaleOperator } from '@tailkube/pulumi';

/** The tailnet policy the program starts from; tailkube adds what the cluster needs. */
export const basePolicy = `{
  "tagOwners": {
    // Admins own the operator's tag.
    "tag:k8s-operator": ["autogroup:admin"],
  },
}
`;

/** The tailnet this program renders into: the base above, which has no rules yet, made deny-by-default. */
export const tailnetArgs = { basePolicy, allowAll: 'deny' } as const;

/** What the program creates that tests point at, and what the stack exports. */
export interface ApiServerProxyReaders {
  /** The operator, whose device serves the API server proxy. */
  readonly operator: TailscaleOperator;
  /** The API server proxy, with its two grants. */
  readonly proxy: ApiServerProxy;
  /** What the stack exports: the command users run. */
  readonly outputs: { readonly kubeconfigCommand: string };
}

/**
 * The read-only `kubectl` setup with Pulumi: the operator with its in-process API server proxy,
 * tailnet admins as `system:masters`, every other member bound to `view` through `tailnet-readers`.
 * Runs inside `tailnetProgram`, which seals the tailnet (and renders the chart values) when it
 * returns.
 */
export async function program(): Promise<ApiServerProxyReaders> {
  const operator = new TailscaleOperator('operator');
  const proxy = new ApiServerProxy('kubectl', { operator });
  // system:masters bypasses RBAC: allowed here on purpose, for the tailnet's admins only.
  proxy.grantAccess(['autogroup:admin'], { groups: ['system:masters'], allowSystemMasters: true });
  // The binding takes the cluster's own name, `<group>-<role>`, instead of the default
  // `<proxy>-<group>-<role>` (`kubectl-tailnet-readers-view`).
  proxy.grantAccess(['autogroup:member'], {
    groups: ['tailnet-readers'],
    clusterRole: 'view',
    clusterRoleBindingName: 'tailnet-readers-view',
  });
  return { operator, proxy, outputs: { kubeconfigCommand: proxy.kubeconfigCommand } };
}
