import fc from 'fast-check';
import { OperatorCredentials } from '@tailkube/core';
import {
  affinity,
  bool,
  dnsLabel,
  hostname,
  imagePullPolicy,
  imagePullSecrets,
  namespaceName,
  objectName,
  oddString,
  portNumber,
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

const imageFields = {
  repository: fc.oneof(
    fc.constantFrom('ghcr.io/tailscale/k8s-operator', 'registry.local/ts', 'bad repo'),
    oddString,
  ),
  tag: fc.oneof(fc.constantFrom('v1.102.3', 'unstable', 'latest', 'bad tag', 'v1.102.3@sha256'), oddString),
  digest: fc.oneof(fc.constantFrom(`sha256:${'a'.repeat(64)}`, 'sha256:short', 'md5:x'), oddString),
};

const imageOptions = fc.record(imageFields, { requiredKeys: [] });

const operatorImageOptions = fc.record({ ...imageFields, pullPolicy: imagePullPolicy }, { requiredKeys: [] });

const extraEnv = fc.record(
  {
    defaultLoadBalancer: bool,
    noLogsNoSupport: bool,
    port: portNumber,
    proxyPriorityClassName: objectName,
    raw: fc.oneof(
      stringMap,
      fc.dictionary(
        fc.constantFrom('FOO', 'TS_DEBUG', 'OPERATOR_HOSTNAME', 'CLIENT_ID_FILE', '1BAD', 'A B', ''),
        fc.oneof(fc.constantFrom('1', ''), oddString),
        { maxKeys: 2 },
      ),
    ),
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
  namespaceMode: fc.constantFrom('dedicated', 'shared', 'existing', 'own'),
  imageRegistry: fc.oneof(
    fc.constantFrom('ghcr.io/tailscale', 'registry.local:5000/mirror', 'docker.io/tailscale', 'bad registry'),
    oddString,
  ),
  operatorImage: orWrong(operatorImageOptions),
  proxyImage: orWrong(imageOptions),
  k8sProxyImage: orWrong(imageOptions),
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
  deploymentAnnotations: stringMap,
  podAnnotations: stringMap,
  podLabels: stringMap,
  serviceAccountAnnotations: stringMap,
  installCRDs: bool,
  extraEnv: orWrong(extraEnv),
  credentials: orWrong(credentials),
  gitops: fc.constantFrom('flux', 'argocd', 'fleet'),
  argoCd: orWrong(fc.record({ namespace: namespaceName, project: dnsLabel }, { requiredKeys: [] })),
});
