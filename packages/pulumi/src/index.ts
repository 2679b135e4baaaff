export {
  Tailnet,
  tailnetProgram,
  type OperatorCredentialOutputs,
  type TailnetArgs,
  type TailnetClientOutputs,
} from './tailnet';
export { TailscaleOperator, type TailscaleOperatorArgs } from './tailscale-operator';
export { runWithMocks, type MockRun, type MockRunOptions, type MockedResource } from './mocks';
// Shared with core, re-exported so a Pulumi program needs one import.
export {
  OperatorCredentials,
  ValidationError,
  isValidationError,
  type IProxyClass,
  type OtherTailnetReport,
  type TailnetReport,
  type TailnetSynthesis,
} from '@tailkube/core/internal';
export { Connector, type ConnectorArgs } from './connector';
export { ProxyClass, type ProxyClassArgs } from './proxy-class';
export type { ConnectorProps, ProxyClassProps } from '@tailkube/core/internal';
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
export { ProxyGroup, type ProxyGroupArgs } from './proxy-group';
export { ProxyGroupPolicy, type ProxyGroupPolicyArgs } from './proxy-group-policy';
export type {
  ApiServerProxyMode,
  IProxyGroup,
  ProxyGroupAttributes,
  ProxyGroupKubeAPIServer,
  ProxyGroupPolicyProps,
  ProxyGroupProps,
  ProxyGroupType,
  ResolvedKubeAPIServer,
} from '@tailkube/core/internal';
export { TailscaleService, type ServiceToExpose, type TailscaleServiceArgs } from './tailscale-service';
export { TailscaleIngress, type TailscaleIngressArgs } from './tailscale-ingress';
export { FunnelIngress, type FunnelIngressArgs } from './funnel-ingress';
export type {
  FunnelIngressProps,
  IngressBackend,
  IngressPath,
  IngressPathType,
  TailscaleIngressProps,
} from '@tailkube/core/internal';
export { EgressService, type EgressServiceArgs } from './egress-service';
export { DNSConfig, type DNSConfigArgs } from './dns-config';
export type {
  CoreDnsStubOptions,
  DNSConfigProps,
  EgressPort,
  EgressPortProtocol,
  EgressServiceProps,
  NameserverImage,
} from '@tailkube/core/internal';
export { ApiServerProxy, type ApiServerProxyArgs } from './api-server-proxy';
export { Recorder, type RecorderArgs } from './recorder';
export { OperatorTailnet, type OperatorTailnetArgs } from './operator-tailnet';
export { PeerRelay, type PeerRelayArgs } from './peer-relay';
export type {
  IOperatorTailnet,
  OperatorTailnetCredentials,
  OperatorTailnetProps,
  PeerRelayAWS,
  PeerRelayAWSElasticIP,
  PeerRelayProps,
  PeerRelayService,
  TailnetReference,
} from '@tailkube/core/internal';
export {
  BUILT_IN_CLUSTER_ROLES,
  SUPERUSER_GROUP,
  type ApiServerProxyAccessOptions,
  type ApiServerProxyGrant,
  type ApiServerProxyProps,
  type BuiltInClusterRole,
  type IClusterRole,
  type IKubeApiServerProxyGroup,
  type IRecorder,
  type ITailscaleOperator,
  type KubernetesCapabilityRule,
  type RecorderContainer,
  type RecorderPod,
  type RecorderProps,
  type RecorderS3Storage,
  type RecorderServiceAccount,
  type RecorderStatefulSet,
  type RecorderStorage,
  type SecretReference,
} from '@tailkube/core/internal';
