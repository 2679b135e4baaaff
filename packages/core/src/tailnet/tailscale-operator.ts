import type { TailnetRequirements } from './requirements';
import type { ResolvedTailscaleOperatorProps } from '../validate/tailscale-operator';
/** What the operator needs from the tailnet: its tags, its proxies' tags, its client. */
export function operatorRequirements(
  source: string,
  props: ResolvedTailscaleOperatorProps,
): TailnetRequirements {
  const credentials = props.credentials;
  return {
    source,
    operator: {
      tags: props.tags,
      namespace: props.namespace,
      ...(props.namespaceMode !== 'dedicated' && { namespaceMode: props.namespaceMode }),
      credentials:
        credentials.kind === 'workload-identity'
          ? {
              kind: 'workload-identity',
              issuer: credentials.issuer,
              subject: operatorServiceAccountSubject(props.namespace),
              ...(credentials.clientId !== undefined && { clientId: credentials.clientId }),
              ...(credentials.audience !== undefined && { audience: credentials.audience }),
            }
          : credentials.kind === 'existing-secret'
            ? { kind: 'existing-secret', secretName: credentials.secretName }
            : { kind: 'oauth-client' },
    },
    proxyTags: props.defaultProxyTags,
    claims: [{ kind: 'hostname', field: 'hostname', hostname: props.hostname }],
    oauthScopes: ['auth_keys', 'devices:core'],
  };
}

/** The token subject of the operator's service account, for workload identity federation. */
export function operatorServiceAccountSubject(namespace: string): string {
  return `system:serviceaccount:${namespace}:operator`;
}
