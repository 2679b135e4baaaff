import { Connector, TailscaleOperator } from '@tailkube/pulumi';

/** The tailnet policy the program starts from; tailkube adds what the cluster needs. */
export const basePolicy = `{
  "groups": {
    "group:admins": ["alice@example.com"],
    "group:family": ["alice@example.com", "bob@example.com"],
  },
  "tagOwners": {
    // Admins own the operator's tag; tailkube adds the Connector's tag under it.
    "tag:k8s-operator": ["group:admins"],
  },
}
`;

/** The tailnet this program renders into: the base above, which has no rules yet, made deny-by-default. */
export const tailnetArgs = { basePolicy, allowAll: 'deny' } as const;

/**
 * The home-ops cluster with Pulumi: the operator, and a Connector that advertises the pod, service
 * and home LAN ranges and acts as an exit node. Runs inside `tailnetProgram`, which seals the
 * tailnet when it returns; the Connector waits for the operator's chart (its CRD).
 */
export async function program(): Promise<{ hostnames: readonly string[] }> {
  // Shared with envoy, as in the seed: labelled privileged only because the Connector needs it.
  new TailscaleOperator('operator', { namespace: 'networking', namespaceMode: 'shared' });
  const connector = new Connector('home-ops', {
    subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
    exitNode: true,
    tags: ['tag:home-ops'],
  });
  connector.allow(['group:family']);
  return { hostnames: connector.hostnames };
}
