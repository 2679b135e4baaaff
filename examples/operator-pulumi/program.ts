import { TailscaleOperator } from '@tailkube/pulumi';

/** The tailnet policy the program starts from; tailkube adds what the cluster needs. */
export const basePolicy = `{
  "groups": {
    "group:admins": ["alice@example.com"],
  },
  "tagOwners": {
    // Admins own the operator's tag; tailkube adds the proxies' tags under it.
    "tag:k8s-operator": ["group:admins"],
  },
}
`;

/** The tailnet this program renders into: the base above, which has no rules yet, made deny-by-default. */
export const tailnetArgs = { basePolicy, allowAll: 'deny' } as const;

/**
 * The program's body: runs inside `tailnetProgram`, which seals the tailnet when it returns, so
 * the policy and the OAuth client hold everything declared here.
 */
export async function program(): Promise<{ namespace: string }> {
  const operator = new TailscaleOperator('operator', {
    hostname: 'k8s-operator-homelab',
    defaultProxyTags: ['tag:k8s'],
  });
  return { namespace: operator.props.namespace };
}
