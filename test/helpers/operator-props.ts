import { OperatorCredentials, type TailscaleOperatorProps } from '@tailkube/core';

/** Every prop of the TailscaleOperator set, none at its default. */
export const FULL_OPERATOR_PROPS = {
  namespace: 'tailnet-system',
  namespaceMode: 'shared',
  version: '1.102.3',
  hostname: 'prod-operator',
  tags: ['tag:k8s-operator', 'tag:prod-operator'],
  defaultProxyTags: ['tag:k8s', 'tag:prod'],
  imageRegistry: 'registry.example.com/tailscale',
  operatorImage: {
    repository: 'ghcr.io/tailscale/k8s-operator',
    tag: 'v1.102.3',
    digest: `sha256:${'a'.repeat(64)}`,
    pullPolicy: 'IfNotPresent',
  },
  proxyImage: {
    repository: 'ghcr.io/tailscale/tailscale',
    tag: 'v1.102.3',
    digest: `sha256:${'b'.repeat(64)}`,
  },
  k8sProxyImage: { digest: `sha256:${'c'.repeat(64)}` },
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
  deploymentAnnotations: { 'reloader.stakater.com/auto': 'true' },
  podAnnotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' },
  podLabels: { team: 'networking' },
  serviceAccountAnnotations: {
    'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/tailscale-operator',
  },
  installCRDs: false,
  extraEnv: {
    defaultLoadBalancer: true,
    proxyPriorityClassName: 'tailscale-proxies',
    port: 41641,
    noLogsNoSupport: true,
    raw: { TS_DEBUG_FIREWALL_MODE: 'nftables' },
  },
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
