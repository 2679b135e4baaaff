export { Tailnet, POLICY_FILE, REQUIREMENTS_FILE, type TailnetProps } from './tailnet';
export { TailscaleOperator, type TailscaleOperatorProps } from './tailscale-operator';
export { OperatorKustomizations, type OperatorKustomizationsProps } from './operator-kustomizations';
// Shared with core, re-exported so a cdk8s program needs one import.
export {
  OperatorCredentials,
  ValidationError,
  isValidationError,
  type IProxyClass,
  type TailnetSynthesis,
} from '@tailkube/core/internal';
export { Connector, type ConnectorProps } from './connector';
export { ProxyClass, type ProxyClassProps } from './proxy-class';
// The one shape of every intent verb (`allow`, `grantAccess`).
export type {
  AllowOptions,
  Allowance,
  Grant,
  ITailnetPrincipal,
  PortSpec,
  Principal,
  ServiceReference,
} from '@tailkube/core/internal';
export { ProxyGroup, type ProxyGroupProps } from './proxy-group';
export { ProxyGroupPolicy, type ProxyGroupPolicyProps } from './proxy-group-policy';
export type {
  ApiServerProxyMode,
  IProxyGroup,
  ProxyGroupAttributes,
  ProxyGroupKubeAPIServer,
  ProxyGroupType,
  ResolvedKubeAPIServer,
} from '@tailkube/core/internal';
export { TailscaleService, type ServiceToExpose, type TailscaleServiceProps } from './tailscale-service';
export { TailscaleIngress, type TailscaleIngressProps } from './tailscale-ingress';
export { FunnelIngress, type FunnelIngressProps } from './funnel-ingress';
export type { IngressBackend, IngressPath, IngressPathType } from '@tailkube/core/internal';
export { EgressService, type EgressServiceProps } from './egress-service';
export { DNSConfig, type DNSConfigProps } from './dns-config';
export type {
  CoreDnsStubOptions,
  EgressPort,
  EgressPortProtocol,
  NameserverImage,
} from '@tailkube/core/internal';
export { ApiServerProxy, type ApiServerProxyProps } from './api-server-proxy';
export { Recorder, type RecorderProps } from './recorder';
export { OperatorTailnet, type OperatorTailnetProps } from './operator-tailnet';
export { PeerRelay, type PeerRelayProps } from './peer-relay';
export type {
  IOperatorTailnet,
  OperatorTailnetCredentials,
  PeerRelayAWS,
  PeerRelayAWSElasticIP,
  PeerRelayService,
  TailnetReference,
} from '@tailkube/core/internal';
export {
  BUILT_IN_CLUSTER_ROLES,
  SUPERUSER_GROUP,
  type ApiServerProxyAccessOptions,
  type ApiServerProxyGrant,
  type BuiltInClusterRole,
  type IClusterRole,
  type IKubeApiServerProxyGroup,
  type IRecorder,
  type ITailscaleOperator,
  type KubernetesCapabilityRule,
  type RecorderContainer,
  type RecorderPod,
  type RecorderS3Storage,
  type RecorderServiceAccount,
  type RecorderStatefulSet,
  type RecorderStorage,
  type SecretReference,
} from '@tailkube/core/internal';
