import type { KubernetesJson, Toleration } from './common';
import type { ITailscaleOperator } from './tailscale-operator';

/** The nameserver image, in the DNSConfig's words (`nameserver.image`). */
export interface NameserverImage {
  /**
   * The image repository, for a mirror of Tailscale's images.
   *
   * @default 'tailscale/k8s-nameserver'
   */
  readonly repo?: string;
  /**
   * The image tag.
   *
   * @default - the pinned release's tag (the operator would run `stable`)
   */
  readonly tag?: string;
}

/**
 * Where to put the CoreDNS server block that forwards `ts.net` to the nameserver: a ConfigMap
 * whose `*.server` keys CoreDNS imports, as k3s and AKS set CoreDNS up (`coredns-custom` in
 * `kube-system`). Other clusters add the block to their Corefile by hand.
 */
export interface CoreDnsStubOptions {
  /**
   * The ConfigMap's name.
   *
   * @default 'coredns-custom'
   */
  readonly configMapName?: string;
  /**
   * The ConfigMap's namespace.
   *
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * The key that holds the server block; CoreDNS imports keys ending in `.server`.
   *
   * @default 'tailscale-ts-net.server'
   */
  readonly key?: string;
}

/**
 * A DNSConfig: the operator deploys a nameserver that resolves the `ts.net` names of the cluster's
 * egress Services and Ingresses to their proxies' pod IPs, for workloads that must use those names
 * (TLS, callbacks). Cluster-scoped, and one per cluster: the operator serves only one and merely
 * warns about a second, so tailkube makes a second one in the program an error.
 *
 * The cluster's DNS must forward `ts.net` to the nameserver's Service: fix its address with
 * `clusterIP`, then add the stub domain to CoreDNS by hand or with `coreDnsStub`.
 *
 * @see https://tailscale.com/kb/1438/kubernetes-operator-cluster-egress
 */
export interface DNSConfigProps {
  /**
   * The DNSConfig object's name.
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
  /**
   * The nameserver image. Always rendered, so the nameserver runs a fixed release rather than the
   * operator's moving `stable` tag.
   *
   * @default - `k8s-nameserver` of `operator`'s release and registry, else of the pinned release
   */
  readonly image?: NameserverImage;
  /**
   * The operator whose chosen `version` and `imageRegistry` the nameserver image follows.
   *
   * @default - the pinned release from Docker Hub
   */
  readonly operator?: Pick<ITailscaleOperator, 'images'>;
  /**
   * How many nameserver pods to run.
   *
   * @default 1
   */
  readonly replicas?: number;
  /**
   * A fixed ClusterIP for the nameserver's Service (`nameserver.service.clusterIP`), inside the
   * cluster's Service range. The CoreDNS stub domain forwards to it, so fixing it lets the stub be
   * written before deploy; otherwise read it from the DNSConfig's `status.nameserver.ip`, which
   * changes whenever the DNSConfig is re-created.
   *
   * @default - Kubernetes assigns one
   */
  readonly clusterIP?: string;
  /**
   * Node labels the nameserver pods must match.
   *
   * @default - any node
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Taints the nameserver pods tolerate.
   *
   * @default - none
   */
  readonly tolerations?: readonly Toleration[];
  /**
   * Affinity rules of the nameserver pods, as in a pod spec.
   *
   * @default - none
   */
  readonly affinity?: KubernetesJson;
  /**
   * Also render the CoreDNS configuration that forwards `ts.net` to the nameserver, as a ConfigMap
   * of `*.server` blocks. Needs `clusterIP`.
   *
   * @default - nothing is rendered; add the block from `corednsServerBlock` to CoreDNS yourself
   */
  readonly coreDnsStub?: CoreDnsStubOptions;
}

/** The ConfigMap CoreDNS imports server blocks from on k3s and AKS. */
export const DEFAULT_CORE_DNS_STUB: Required<CoreDnsStubOptions> = {
  configMapName: 'coredns-custom',
  namespace: 'kube-system',
  key: 'tailscale-ts-net.server',
};
