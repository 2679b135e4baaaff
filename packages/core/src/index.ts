export {
  OPERATOR_CHART_NAME,
  OPERATOR_CHART_REPOSITORY,
  OPERATOR_CHART_VERSION,
  TAILSCALE_IMAGE_TAG,
  K8S_PROXY_IMAGE,
  K8S_NAMESERVER_IMAGE,
} from './versions';
export {
  REDACTED,
  TailkubeError,
  ValidationError,
  isTailkubeError,
  isValidationError,
  type ValidationErrorDetails,
} from '@tailkube/policy';

export { DEFAULT_CLUSTER_DOMAIN, DEFAULT_PROXY_TAGS } from './props/common';
export type {
  IProxyClass,
  IProxyGroup,
  ProxyGroupType,
  ImageOptions,
  KubernetesJson,
  ResourceRequirements,
  Toleration,
} from './props/common';
export {
  DEFAULT_OPERATOR_SECRET,
  OPERATOR_CREDENTIAL_KINDS,
  OperatorCredentials,
  type ExistingSecretCredentials,
  type OAuthClientCredentials,
  type WorkloadIdentityCredentials,
} from './props/operator-credentials';
export {
  FIREWALL_MODES,
  OPERATOR_LOG_LEVELS,
  type FirewallMode,
  type OperatorLogLevel,
  type TailscaleOperatorProps,
} from './props/tailscale-operator';

export { compareStrings, sortedRecord } from '@tailkube/policy/internal';
export {
  checkEach,
  checkUnique,
  constructPath,
  validateProps,
  type Rule,
  type Violation,
} from './validate/rules';
export {
  DNS_LABEL_PATTERN,
  DNS_SUBDOMAIN_PATTERN,
  HOSTNAME_PATTERN,
  HOSTNAME_PREFIX_PATTERN,
  LABEL_VALUE_PATTERN,
  TAG_PATTERN,
  VERSION_PATTERN,
  checkHostname,
  checkHostnamePrefix,
  checkLabelValue,
  checkNamespace,
  checkObjectName,
  checkRoute,
  checkTag,
  checkVersion,
  maskRoute,
} from './validate/scalars';
export {
  resolveTailscaleOperatorProps,
  type CredentialsSupport,
  type ResolvedTailscaleOperatorProps,
} from './validate/tailscale-operator';

export { MANAGED_BY_LABELS, type KubeMetadata, type KubeObject } from './render/kube-object';
export {
  OPERATOR_RELEASE_NAME,
  POD_SECURITY_ENFORCE_LABEL,
  operatorChart,
  operatorRequirements,
  operatorServiceAccountSubject,
  renderOperatorNamespace,
  renderOperatorValues,
  type OperatorChart,
} from './render/tailscale-operator';
export {
  GITOPS_ENGINES,
  renderArgoCdApplication,
  renderFluxHelmRelease,
  renderFluxHelmRepository,
  renderFluxKustomizations,
  type ArgoCdOptions,
  type FluxKustomizationsOptions,
  type GitOpsEngine,
} from './render/gitops';

export {
  POLICY_SECTIONS,
  type AclRule,
  type AutoApprovers,
  type Grant,
  type NodeAttr,
  type PolicyDocument,
  type PolicyTest,
  type SshRule,
  type SshTest,
} from '@tailkube/policy';
export { parseHujson, stringifyHujson, type HujsonFault, type HujsonParse } from '@tailkube/policy';
export { EMPTY_POLICY, GENERATED_HEADER, type GeneratedEntry, type RenderedPolicy } from '@tailkube/policy';
export { canonical } from '@tailkube/policy/internal';
export {
  OAUTH_SCOPES,
  type AccessIntent,
  type CheckedProtocol,
  type ClusterObjectClaim,
  type ProxyGroupAllowance,
  type ProxyGroupPortClaim,
  type ProxyGroupUse,
  type CredentialsRequirement,
  type OAuthScope,
  type OperatorRequirement,
  type TailnetRequirements,
} from './policy/requirements';
export {
  TailnetModel,
  type OperatorClientRequirement,
  type TailnetModelProps,
  type TailnetReport,
  type TailnetSynthesis,
} from './policy/tailnet';

export {
  type ConnectorAllowOptions,
  type ConnectorAppConnector,
  type ConnectorProps,
  type ConnectorSubnetRouter,
} from './props/connector';
export {
  DEFAULT_NODE_PORT_RANGE,
  IMAGE_PULL_POLICIES,
  type EnvVar,
  type ImagePullPolicy,
  type PortRange,
  type ProxyClassProps,
  type ProxyContainer,
  type ProxyInitContainer,
  type ProxyMetrics,
  type ProxyPod,
  type ProxyStatefulSet,
  type ProxyStaticEndpoints,
} from './props/proxy-class';
export {
  checkDomain,
  checkPrincipal,
  resolveConnectorProps,
  type ResolvedConnectorProps,
} from './validate/connector';
export {
  proxyClassWarnings,
  resolveProxyClassProps,
  type ResolvedProxyClassProps,
} from './validate/proxy-class';
export {
  APP_CONNECTORS_CAPABILITY,
  APP_CONNECTOR_DISCOVERY_ROUTES,
  TAILSCALE_API_VERSION,
  connectorGrants,
  connectorHostnames,
  connectorRequirements,
  renderConnector,
} from './render/connector';
export { proxyClassRequirements, renderProxyClass } from './render/proxy-class';
export type { AdvertisedRoutes, StaticEndpointPorts } from './policy/requirements';
export {
  canConnect,
  canSsh,
  capabilitiesAt,
  compileSshPolicies,
  compileTailnet,
  deriveTopology,
  evaluate,
  simulateTailnet,
  validatePolicy,
  type CapabilityAnswer,
  type CapabilityQuery,
  type CompiledTailnet,
  type ConnectAnswer,
  type ConnectQuery,
  type EvaluateQuery,
  type FilterMatch,
  type NodeAttributes,
  type PolicyFault,
  type PolicyVerdict,
  type PostureAttributes,
  type RuleOrigin,
  type SshAction,
  type SshAnswer,
  type SshPolicy,
  type SshPolicyRule,
  type SshPrincipal,
  type SshQuery,
  type TailnetSimulation,
  type Topology,
  type TopologyNode,
  type TopologyTailnet,
  type TopologyUser,
  type TopologyUserRole,
} from '@tailkube/policy';
export {
  API_SERVER_PROXY_MODES,
  DEFAULT_API_SERVER_PROXY_MODE,
  DEFAULT_PROXY_GROUP_REPLICAS,
  PROXY_GROUP_TYPES,
  type ApiServerProxyMode,
  type KubeAPIServerFor,
  type ProxyGroupAttributes,
  type ProxyGroupKubeAPIServer,
  type ProxyGroupProps,
  type ResolvedKubeAPIServer,
} from './props/proxy-group';
export type { ProxyGroupPolicyProps } from './props/proxy-group-policy';
export {
  AUTH_API_SERVER_PROXY_SERVICE_ACCOUNT,
  resolveProxyGroupAttributes,
  resolveProxyGroupProps,
  type ResolvedProxyGroupProps,
} from './validate/proxy-group';
export {
  resolveProxyGroupPolicyProps,
  type ResolvedProxyGroupPolicyProps,
} from './validate/proxy-group-policy';
export {
  proxyGroupHostnames,
  proxyGroupRequirements,
  proxyGroupServiceName,
  renderProxyGroup,
} from './render/proxy-group';
export { proxyGroupPolicyRequirements, renderProxyGroupPolicy } from './render/proxy-group-policy';
export {
  EXPOSED_PORT_PROTOCOLS,
  exposureAccess,
  exposureDestination,
  exposureRequirements,
  tailscaleServiceName,
  type ExposedPort,
  type ExposedPortProtocol,
  type ExposureAccess,
  type ExposureAllowOptions,
  type ExposureTarget,
} from './render/exposure';
export {
  EXPOSE_MECHANISMS,
  type ExposeMechanism,
  type ExposedServiceSpec,
  type TailscaleServicePort,
  type TailscaleServiceProps,
} from './props/tailscale-service';
export {
  resolveTailscaleServiceProps,
  type ResolvedTailscaleServiceProps,
} from './validate/tailscale-service';
export {
  SERVICE_ANNOTATIONS,
  TAILSCALE_LOAD_BALANCER_CLASS,
  clusterDnsName,
  renderTailscaleService,
  tailscaleServiceExposure,
  tailscaleServiceMetadata,
  tailscaleServiceRequirements,
  type TailscaleServiceMetadata,
} from './render/tailscale-service';
export {
  DEFAULT_INGRESS_CLASS_NAME,
  INGRESS_PATH_TYPES,
  type IngressBackend,
  type IngressBaseProps,
  type IngressPath,
  type IngressPathType,
} from './props/ingress';
export type { TailscaleIngressProps } from './props/tailscale-ingress';
export { DEFAULT_FUNNEL_TAGS, FUNNEL_PORTS, type FunnelIngressProps } from './props/funnel-ingress';
export { ingressHostname, type IngressDefaults, type ResolvedIngressBaseProps } from './validate/ingress';
export {
  resolveTailscaleIngressProps,
  tailscaleIngressWarnings,
  type ResolvedTailscaleIngressProps,
} from './validate/tailscale-ingress';
export {
  funnelIngressWarnings,
  resolveFunnelIngressProps,
  type ResolvedFunnelIngressProps,
} from './validate/funnel-ingress';
export {
  HTTP_REDIRECT_ANNOTATION,
  PROXY_CLASS_LABEL,
  TAGS_ANNOTATION,
  ingressTagsNeedNewProxy,
} from './render/ingress';
export {
  HTTP_ENDPOINT_ANNOTATION,
  PROXY_GROUP_ANNOTATION,
  renderTailscaleIngress,
  tailscaleIngressAccess,
  tailscaleIngressRequirements,
  tailscaleIngressTarget,
} from './render/tailscale-ingress';
export {
  FUNNEL_ANNOTATION,
  FUNNEL_ATTRIBUTE,
  funnelIngressAccess,
  funnelIngressRequirements,
  funnelIngressTarget,
  renderFunnelIngress,
} from './render/funnel-ingress';
export {
  EGRESS_PORT_PROTOCOLS,
  type EgressPort,
  type EgressPortProtocol,
  type EgressServiceProps,
} from './props/egress-service';
export {
  MAX_EGRESS_PORTS_PER_PROXY_GROUP,
  TAILNET_FQDN_PATTERN,
  resolveEgressServiceProps,
  type ResolvedEgressServiceProps,
} from './validate/egress-service';
export {
  EGRESS_SERVICE_KEYS,
  EXTERNAL_NAME_PLACEHOLDER,
  egressServiceDnsName,
  egressServiceGrant,
  egressServiceHostnames,
  egressServiceRequirements,
  renderEgressService,
} from './render/egress-service';
export {
  DEFAULT_CORE_DNS_STUB,
  type CoreDnsStubOptions,
  type DNSConfigProps,
  type NameserverImage,
} from './props/dns-config';
export { resolveDNSConfigProps, type ResolvedDNSConfigProps } from './validate/dns-config';
export {
  TAILNET_DNS_DOMAIN,
  corednsServerBlock,
  dnsConfigRequirements,
  renderCoreDnsStub,
  renderDNSConfig,
} from './render/dns-config';
export {
  BUILT_IN_CLUSTER_ROLES,
  SUPERUSER_GROUP,
  type ApiServerProxyAccessOptions,
  type ApiServerProxyProps,
  type BuiltInClusterRole,
  type IClusterRole,
  type IKubeApiServerProxyGroup,
} from './props/api-server-proxy';
export {
  DEFAULT_RECORDER_TAGS,
  RECORDER_PORT,
  type IRecorder,
  type RecorderContainer,
  type RecorderPod,
  type RecorderProps,
  type RecorderS3Storage,
  type RecorderServiceAccount,
  type RecorderStatefulSet,
  type RecorderStorage,
  type SecretReference,
} from './props/recorder';
export type { ITailscaleOperator, OperatorApiServerProxy } from './props/tailscale-operator';
export { OperatorApiServerProxyUses, type ApiServerProxyUse } from './validate/tailscale-operator';
export {
  checkApiServerProxyAccess,
  resolveApiServerProxyProps,
  type ApiServerProxyPlacement,
  type ResolvedApiServerProxyProps,
} from './validate/api-server-proxy';
export { resolveRecorderProps, type ResolvedRecorderProps } from './validate/recorder';
export {
  API_SERVER_PROXY_PORT,
  ApiServerProxyAccess,
  KUBERNETES_CAPABILITY,
  UNGRANTED_STAND_IN,
  bindingName,
  kubeconfigCommand,
  renderGroupBinding,
  type ApiServerProxyGrant,
  type ApiServerProxyGrantResult,
  type ClusterRoleBindingObject,
  type KubernetesCapabilityRule,
  type RbacReference,
} from './render/api-server-proxy';
export { recorderHostnames, recorderRequirements, renderRecorder } from './render/recorder';
export { approveServices, isServiceName } from '@tailkube/policy/internal';
export type { TopologyService } from '@tailkube/policy';
export { connectorIntendedAccess, REPRESENTATIVE_PORT } from './render/connector';
export {
  derivePolicyTests,
  type DerivedPolicyTest,
  type DerivedPolicyTests,
  type SkippedPolicyTest,
} from './policy/policy-tests';
export type { PolicyTestsReport } from './policy/tailnet';
