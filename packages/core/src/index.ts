// The user API of @tailkube/core: the props both flavors share, the errors they throw, the pinned
// versions and the report a program writes. What only the flavors need is in `@tailkube/core/internal`.
export {
  K8S_NAMESERVER_IMAGE,
  K8S_PROXY_IMAGE,
  OPERATOR_CHART_NAME,
  OPERATOR_CHART_REPOSITORY,
  OPERATOR_CHART_VERSION,
  TAILSCALE_IMAGE_TAG,
} from './versions';
export {
  REDACTED,
  TailkubeError,
  ValidationError,
  isTailkubeError,
  isValidationError,
  type ValidationErrorDetails,
} from '@tailkube/policy';
export type { AllowOptions, Allowance, ITailnetPrincipal, PortSpec, Principal } from './access';
export type { AllowAllChoice } from '@tailkube/policy';

export { DEFAULT_CLUSTER_DOMAIN, DEFAULT_PROXY_TAGS } from './props/common';
export type {
  ExposedPortProtocol,
  IProxyClass,
  IProxyGroup,
  ImageOptions,
  ProxyGroupType,
} from './props/common';
export {
  OperatorCredentials,
  type ExistingSecretCredentials,
  type OAuthClientCredentials,
  type WorkloadIdentityCredentials,
} from './props/operator-credentials';
export type {
  FirewallMode,
  ITailscaleOperator,
  OperatorExtraEnv,
  OperatorLogLevel,
  OperatorNamespaceMode,
  TailscaleOperatorProps,
} from './props/tailscale-operator';
export type { GitOpsEngine } from './render/gitops';
export type { ConnectorAppConnector, ConnectorProps, ConnectorSubnetRouter } from './props/connector';
export type {
  ImagePullPolicy,
  ProxyClassProps,
  ProxyContainer,
  ProxyPod,
  ProxyStatefulSet,
} from './props/proxy-class';
export type { ApiServerProxyMode, ProxyGroupKubeAPIServer, ProxyGroupProps } from './props/proxy-group';
export type { ProxyGroupPolicyProps } from './props/proxy-group-policy';
export type {
  ExposeMechanism,
  ExposedServiceSpec,
  ServiceReference,
  TailscaleServicePort,
  TailscaleServiceProps,
} from './props/tailscale-service';
export type { IngressBackend, IngressPath, IngressPathType } from './props/ingress';
export type { TailscaleIngressProps } from './props/tailscale-ingress';
export type { FunnelIngressProps } from './props/funnel-ingress';
export type { EgressPort, EgressPortProtocol, EgressServiceProps } from './props/egress-service';
export type { CoreDnsStubOptions, DNSConfigProps } from './props/dns-config';
export type {
  ApiServerProxyAccessOptions,
  ApiServerProxyProps,
  BuiltInClusterRole,
  IClusterRole,
} from './props/api-server-proxy';
export type { ApiServerProxyGrant, KubernetesCapabilityRule } from './tailnet/api-server-proxy';
export type { IRecorder, RecorderProps, RecorderStorage, SecretReference } from './props/recorder';

export type { AccessIntent, CredentialsRequirement, OAuthScope } from './tailnet/requirements';
export type { OperatorClientRequirement, PolicyTestsReport, TailnetReport } from './program/tailnet-model';
