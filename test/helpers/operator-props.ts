import { OperatorCredentials, type TailscaleOperatorProps } from '@tailkube/core';

/** Every prop of the TailscaleOperator set, none at its default. */
export const FULL_OPERATOR_PROPS = {
  namespace: 'tailnet-system',
  version: '1.102.3',
  hostname: 'prod-operator',
  tags: ['tag:k8s-operator', 'tag:prod-operator'],
  defaultProxyTags: ['tag:k8s', 'tag:prod'],
  operatorImage: { repository: 'ghcr.io/tailscale/k8s-operator', digest: `sha256:${'a'.repeat(64)}` },
  proxyImage: { repository: 'ghcr.io/tailscale/tailscale', digest: `sha256:${'b'.repeat(64)}` },
  firewallMode: 'nftables',
  defaultProxyClass: { name: 'prod' },
  ingressClassName: 'tailscale-prod',
  createIngressClass: false,
  loginServer: 'https://headscale.example.com',
  logging: 'debug',
  nodeSelector: { 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/infra': '' },
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
      },
    },
  },
  tolerations: [
    { key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
  ],
  priorityClassName: 'system-cluster-critical',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  podSecurityContext: { runAsNonRoot: true, runAsUser: 1000 },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
  imagePullSecrets: ['registry-a', 'registry-b'],
  credentials: OperatorCredentials.workloadIdentity({
    issuer: 'https://oidc.example.com/cluster',
    clientId: 'k8s-operator-client',
    audience: 'api.tailscale.com/k8s-operator-client',
  }),
} as const satisfies Required<TailscaleOperatorProps>;

/** Credentials variants every renderer must handle. */
export const CREDENTIAL_VARIANTS = {
  'the default Secret': OperatorCredentials.fromSecret('operator-oauth'),
  'another Secret': OperatorCredentials.fromSecret('tailscale-oauth'),
  'workload identity': FULL_OPERATOR_PROPS.credentials,
} as const;
