import fc from 'fast-check';
import { OperatorCredentials } from '@tailkube/core';
import {
  affinity,
  bool,
  dnsLabel,
  hostname,
  imagePullSecrets,
  namespaceName,
  objectName,
  oddString,
  orWrong,
  props,
  proxyClassRef,
  resources,
  securityContext,
  stringMap,
  tags,
  toleration,
  url,
} from './shared';

const imageOptions = fc.record(
  {
    repository: fc.oneof(
      fc.constantFrom('ghcr.io/tailscale/k8s-operator', 'registry.local/ts', 'bad repo'),
      oddString,
    ),
    digest: fc.oneof(fc.constantFrom(`sha256:${'a'.repeat(64)}`, 'sha256:short', 'md5:x'), oddString),
  },
  { requiredKeys: [] },
);

const credentials = fc.oneof(
  fc.constant(OperatorCredentials.oauthClient()),
  objectName.map((name) => OperatorCredentials.fromSecret(name)),
  fc
    .record(
      {
        issuer: url,
        clientId: fc.oneof(fc.constantFrom('k8s-operator-client', 'abc'), oddString),
        audience: fc.oneof(fc.constantFrom('api.tailscale.com/abc'), oddString),
      },
      { requiredKeys: ['issuer'] },
    )
    .map((options) => OperatorCredentials.workloadIdentity(options as { issuer: string })),
  fc.constantFrom<unknown>({ kind: 'existing-secret' }, { kind: 'magic' }, { kind: 'workload-identity' }),
);

/** Props of the TailscaleOperator (and the cdk8s flavor's GitOps options). */
export const tailscaleOperator = props({
  namespace: namespaceName,
  version: fc.oneof(
    fc.constantFrom('1.102.3', '1.100.0', '1.94.2', 'v1.102.3', '2.0.0', 'latest', '1.102'),
    oddString,
  ),
  hostname,
  tags,
  defaultProxyTags: tags,
  operatorImage: orWrong(imageOptions),
  proxyImage: orWrong(imageOptions),
  firewallMode: fc.constantFrom('auto', 'iptables', 'nftables', 'ebpf'),
  defaultProxyClass: proxyClassRef,
  ingressClassName: objectName,
  createIngressClass: bool,
  loginServer: url,
  logging: fc.constantFrom('info', 'debug', 'dev', 'trace'),
  nodeSelector: stringMap,
  affinity,
  tolerations: fc.array(toleration, { maxLength: 2 }),
  priorityClassName: objectName,
  resources,
  podSecurityContext: securityContext,
  securityContext,
  imagePullSecrets,
  credentials: orWrong(credentials),
  gitops: fc.constantFrom('flux', 'argocd', 'fleet'),
  argoCd: orWrong(fc.record({ namespace: namespaceName, project: dnsLabel }, { requiredKeys: [] })),
});
