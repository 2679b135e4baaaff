import { ALLOW_ALL_CHOICES } from '@tailkube/policy';
import {
  anyOf,
  boolean,
  checkedByRule,
  json,
  list,
  literal,
  number,
  object,
  policyText,
  record,
  reference,
  required,
  string,
  type Shape,
} from './shape';

// The JavaScript shape of every props interface in `../props`, checked before a construct's rules
// run. test/props-shapes.test.ts holds each against its interface (through the TypeScript compiler
// API), so a new prop without a shape fails the build's tests, and at run time a key a shape does
// not name is an error listing the keys it does.

const strings = list(string);
const stringMap = record(string);
const jsonList = list(json);

/** An object the program made, passed on by reference: only what tailkube reads is checked. */
const proxyClassRef = reference('a ProxyClass (or an object with its `name`)', { name: required(string) });
const proxyGroupRef = reference('a ProxyGroup (or the attributes of one)', {
  name: required(string),
  proxyGroupType: required(string),
  tags: required(strings),
  replicas: required(number),
});
const recorderRef = reference('a Recorder', { name: required(string), tags: required(strings) });
const operatorRef = reference("the program's TailscaleOperator", {
  tags: required(strings),
  hostname: required(string),
});
/** `operatorTailnet`: an OperatorTailnet of the program, or a `Tailnet` object's name. */
const tailnetRef = anyOf(
  string,
  reference('an OperatorTailnet (or an object with its `name`)', {
    name: required(string),
    clientTags: strings,
  }),
);
const apiServerProxyGroupRef = reference('a ProxyGroup of type "kube-apiserver"', {
  name: required(string),
  proxyGroupType: required(string),
  tags: required(strings),
  replicas: required(number),
  kubeAPIServer: reference('resolved API server proxy settings', {
    mode: required(string),
    hostname: required(string),
  }),
});

const toleration = object({
  key: string,
  // The values are Kubernetes' enums, checked with the rest of the schema (kube-schema.ts).
  operator: string,
  value: string,
  effect: string,
  tolerationSeconds: number,
});
const resources = object({ requests: stringMap, limits: stringMap });
const envVar = object({ name: required(string), value: string });
const imagePullPolicy = string;
const imageOptions = object({ repository: string, tag: string, digest: string });

const ingressBackend = object({ serviceName: required(string), port: required(anyOf(string, number)) });
const ingressBase = {
  name: string,
  namespace: string,
  // Its rule names the mistake of listing several hosts.
  hostname: checkedByRule,
  defaultBackend: ingressBackend,
  paths: list(object({ path: required(string), pathType: string, backend: required(ingressBackend) })),
  httpRedirect: boolean,
  tags: strings,
  proxyClass: proxyClassRef,
  ingressClassName: string,
} as const;

/** Props of an ApiServerProxy. */
export const API_SERVER_PROXY_SHAPE: Shape = object({
  operator: required(operatorRef),
  proxyGroup: apiServerProxyGroupRef,
  mode: string,
  name: string,
});

/** Options of `ApiServerProxy.grantAccess`. */
export const API_SERVER_PROXY_ACCESS_SHAPE: Shape = object({
  groups: strings,
  clusterRole: anyOf(
    string,
    reference('a ClusterRole (an object with its `name`)', { name: required(string) }),
  ),
  allowSystemMasters: boolean,
  recorder: recorderRef,
  enforceRecorder: boolean,
  enableEvents: boolean,
  clusterRoleBindingName: string,
});

/** Props of a Connector. */
export const CONNECTOR_SHAPE: Shape = object({
  name: string,
  subnetRouter: object({ advertiseRoutes: required(strings) }),
  exitNode: boolean,
  appConnector: object({ domains: required(strings), routes: strings, name: string, clients: strings }),
  hostname: string,
  hostnamePrefix: string,
  replicas: number,
  tags: strings,
  proxyClass: proxyClassRef,
  highAvailability: boolean,
  operatorTailnet: tailnetRef,
});

/** Props of a DNSConfig. */
export const DNS_CONFIG_SHAPE: Shape = object({
  name: string,
  image: object({ repo: string, tag: string }),
  replicas: number,
  clusterIP: string,
  nodeSelector: stringMap,
  tolerations: list(toleration),
  affinity: json,
  coreDnsStub: object({ configMapName: string, namespace: string, key: string }),
  // Only its `images` are read, and the operator made them.
  operator: reference("the program's TailscaleOperator", {}),
});

/** Props of an EgressService. */
export const EGRESS_SERVICE_SHAPE: Shape = object({
  name: string,
  namespace: string,
  tailnetFqdn: string,
  tailnetIp: string,
  policyTarget: string,
  ports: required(list(object({ port: required(number), name: string, protocol: string }))),
  proxyGroup: proxyGroupRef,
  tags: strings,
  hostname: string,
  proxyClass: proxyClassRef,
  clusterDomain: string,
});

/** Props of a Funnel Ingress; `public` and `proxyGroup` have their own rules and messages. */
export const FUNNEL_INGRESS_SHAPE: Shape = object({
  ...ingressBase,
  public: checkedByRule,
  proxyGroup: checkedByRule,
});

/** Props of a Tailscale Ingress. */
export const TAILSCALE_INGRESS_SHAPE: Shape = object({
  ...ingressBase,
  proxyGroup: proxyGroupRef,
  httpEndpoint: boolean,
});

/**
 * How the operator authenticates: what the `OperatorCredentials` factories return. Open: the
 * credentials rule refuses another kind's options (or a pasted credential) without printing them.
 */
export const OPERATOR_CREDENTIALS_SHAPE: Shape = reference('credentials from `OperatorCredentials`', {
  kind: required(string),
  secretName: string,
  issuer: string,
  clientId: string,
  audience: string,
});

const proxyContainer = {
  env: list(envVar),
  image: string,
  imagePullPolicy,
  resources,
  securityContext: json,
} as const;

/** Props of a ProxyClass. */
export const PROXY_CLASS_SHAPE: Shape = object({
  name: string,
  statefulSet: object({
    labels: stringMap,
    annotations: stringMap,
    pod: object({
      labels: stringMap,
      annotations: stringMap,
      affinity: json,
      nodeSelector: stringMap,
      tolerations: list(toleration),
      topologySpreadConstraints: jsonList,
      priorityClassName: string,
      imagePullSecrets: strings,
      securityContext: json,
      nodeName: string,
      dnsPolicy: string,
      dnsConfig: object({
        nameservers: strings,
        searches: strings,
        options: list(object({ name: required(string), value: string })),
      }),
      tailscaleContainer: object({ ...proxyContainer, debug: object({ enable: required(boolean) }) }),
      // `debug` is refused there by its own rule, which says why.
      tailscaleInitContainer: object({ ...proxyContainer, debug: checkedByRule }),
    }),
  }),
  metrics: object({
    enable: required(boolean),
    serviceMonitor: object({ enable: required(boolean), labels: stringMap }),
  }),
  tailscale: object({ acceptRoutes: boolean }),
  useLetsEncryptStagingEnvironment: boolean,
  staticEndpoints: object({
    nodePort: required(
      object({
        ports: required(list(object({ port: required(number), endPort: number }))),
        selector: stringMap,
      }),
    ),
  }),
  clusterNodePortRange: object({ port: required(number), endPort: number }),
});

/** Props of a ProxyGroupPolicy. */
export const PROXY_GROUP_POLICY_SHAPE: Shape = object({
  name: string,
  namespace: string,
  ingress: list(proxyGroupRef),
  egress: list(proxyGroupRef),
});

/** Props of a ProxyGroup. */
export const PROXY_GROUP_SHAPE: Shape = object({
  type: required(string),
  name: string,
  replicas: number,
  hostnamePrefix: string,
  tags: strings,
  proxyClass: proxyClassRef,
  kubeAPIServer: object({ mode: string, hostname: string }),
  operatorTailnet: tailnetRef,
});

/** Attributes of a ProxyGroup made elsewhere (`ProxyGroup.fromAttributes`). */
export const PROXY_GROUP_ATTRIBUTES_SHAPE: Shape = object({
  name: required(string),
  type: required(string),
  tags: strings,
  replicas: number,
});

/** Props of a Recorder. */
export const RECORDER_SHAPE: Shape = object({
  name: string,
  tags: strings,
  enableUI: boolean,
  storage: object({
    s3: required(
      object({
        endpoint: required(string),
        bucket: required(string),
        // Open: its rule refuses a credential value beside the name without printing it.
        credentialsSecret: reference('a Secret reference', { name: required(string) }),
      }),
    ),
  }),
  replicas: number,
  statefulSet: object({
    labels: stringMap,
    annotations: stringMap,
    pod: object({
      labels: stringMap,
      annotations: stringMap,
      affinity: json,
      nodeSelector: stringMap,
      tolerations: list(toleration),
      imagePullSecrets: strings,
      securityContext: json,
      container: object({
        env: list(envVar),
        image: string,
        imagePullPolicy,
        resources,
        securityContext: json,
      }),
      serviceAccount: object({ name: string, annotations: stringMap }),
    }),
  }),
  operatorTailnet: tailnetRef,
});

/** The fields of a TailscaleOperator's core props. */
export const TAILSCALE_OPERATOR_FIELDS: Readonly<Record<string, Shape>> = {
  namespace: string,
  version: string,
  hostname: string,
  tags: strings,
  defaultProxyTags: strings,
  namespaceMode: string,
  imageRegistry: string,
  operatorImage: object({ ...imageOptions.fields, pullPolicy: imagePullPolicy }),
  proxyImage: imageOptions,
  k8sProxyImage: imageOptions,
  firewallMode: string,
  defaultProxyClass: proxyClassRef,
  ingressClassName: string,
  createIngressClass: boolean,
  loginServer: string,
  logging: string,
  nodeSelector: stringMap,
  affinity: json,
  tolerations: list(toleration),
  priorityClassName: string,
  resources,
  podSecurityContext: json,
  securityContext: json,
  imagePullSecrets: strings,
  deploymentAnnotations: stringMap,
  podAnnotations: stringMap,
  podLabels: stringMap,
  serviceAccountAnnotations: stringMap,
  installCRDs: boolean,
  extraEnv: object({
    defaultLoadBalancer: boolean,
    proxyPriorityClassName: string,
    port: number,
    noLogsNoSupport: boolean,
    raw: stringMap,
  }),
  credentials: OPERATOR_CREDENTIALS_SHAPE,
};

/** Props of a TailscaleOperator. */
export const TAILSCALE_OPERATOR_SHAPE: Shape = object(TAILSCALE_OPERATOR_FIELDS);

const servicePort = object({
  port: required(number),
  targetPort: anyOf(string, number),
  name: string,
  protocol: string,
});

/** Props of a TailscaleService. */
export const TAILSCALE_SERVICE_SHAPE: Shape = object({
  mechanism: string,
  hostname: string,
  tags: strings,
  proxyClass: proxyClassRef,
  proxyGroup: proxyGroupRef,
  ports: list(servicePort),
  name: string,
});

/** Props of an OperatorTailnet. */
export const OPERATOR_TAILNET_SHAPE: Shape = object({
  name: string,
  // Open: its rule refuses a credential value beside the name without printing it.
  credentials: required(reference('a Secret reference', { secretName: required(string) })),
  loginUrl: string,
  clientTags: strings,
  basePolicy: policyText,
});

/** Props of a PeerRelay. */
export const PEER_RELAY_SHAPE: Shape = object({
  name: string,
  replicas: number,
  hostnamePrefix: string,
  tags: strings,
  proxyClass: proxyClassRef,
  service: object({ annotations: stringMap }),
  aws: object({
    elasticIPs: required(list(object({ allocationID: required(string), subnetID: required(string) }))),
  }),
  operatorTailnet: tailnetRef,
});

/** Options of every `allow` verb; `ports` has its own rule and messages. */
export const ALLOW_OPTIONS_SHAPE: Shape = object({ ports: checkedByRule });

/** The fields of a Tailnet's props (`TailnetModelProps`). */
export const TAILNET_FIELDS: Readonly<Record<string, Shape>> = {
  basePolicy: policyText,
  policyTests: boolean,
  allowAll: literal(...ALLOW_ALL_CHOICES),
};

/**
 * The Service a TailscaleService exposes, as either flavor takes it: an object (one the program
 * owns, or a reference by name); each flavor reads the rest.
 */
export const SERVICE_TO_EXPOSE_SHAPE: Shape = reference(
  'a Service: an object of the program, or a reference such as { name: "web", namespace: "apps" }',
  {},
);
