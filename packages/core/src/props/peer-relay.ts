import type { IProxyClass } from './common';
import type { TailnetReference } from './operator-tailnet';

/** One replica's AWS Elastic IP allocation and the subnet it is attached to. */
export interface PeerRelayAWSElasticIP {
  /** The EIP allocation id, such as `eipalloc-0123abcd`. */
  readonly allocationID: string;
  /** The public subnet the replica's load balancer is provisioned in, such as `subnet-0123abcd`. */
  readonly subnetID: string;
}

/**
 * Pinning each replica to an AWS Elastic IP and subnet (EKS with the AWS Load Balancer Controller
 * only). Pin the pods to the subnets' zone with a ProxyClass `nodeSelector` too: a pod scheduled
 * in another zone is unreachable on its Elastic IP.
 */
export interface PeerRelayAWS {
  /** One allocation-subnet pair per replica (replica `i` uses entry `i`); at least `replicas` entries. */
  readonly elasticIPs: readonly PeerRelayAWSElasticIP[];
}

/** The LoadBalancer Service each peer relay replica is exposed with. */
export interface PeerRelayService {
  /**
   * Annotations on the Service; ones that conflict with the operator's cloud annotations (which
   * ask for IP addresses rather than DNS names) are ignored by the operator.
   *
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Tailscale peer relays run by the operator (since v1.102.0): devices that relay traffic between
 * other devices of the tailnet that cannot connect directly, each reachable on a public UDP
 * endpoint (port 41641) through its own `type: LoadBalancer` Service. Cluster-scoped.
 *
 * @see https://tailscale.com/docs/kubernetes-operator/peer-relay
 */
export interface PeerRelayProps {
  /**
   * The PeerRelay object's name.
   *
   * @default - cdk8s: the construct id; Pulumi: the resource name
   */
  readonly name?: string;
  /**
   * How many relay devices to run.
   *
   * @default 1
   */
  readonly replicas?: number;
  /**
   * A prefix for each replica's hostname: replica `i` joins as `<prefix>-<i>`.
   *
   * @default - the PeerRelay's name
   */
  readonly hostnamePrefix?: string;
  /**
   * Tags on the relay devices, owned by the operator's tag there; grants from `allow` name them.
   * Rendered even when defaulted. Cannot change once the devices exist.
   *
   * @default ['tag:k8s']
   */
  readonly tags?: readonly string[];
  /**
   * The ProxyClass applied to the relay pods.
   *
   * @default - the operator's default configuration
   */
  readonly proxyClass?: IProxyClass;
  /**
   * The LoadBalancer Services the replicas are exposed with.
   *
   * @default - the operator's Services, with its cloud annotations only
   */
  readonly service?: PeerRelayService;
  /**
   * AWS Elastic IPs to pin the replicas to.
   *
   * @default - addresses the cloud assigns
   */
  readonly aws?: PeerRelayAWS;
  /**
   * The tailnet the relays join; immutable once set.
   *
   * @default - the operator's own tailnet
   */
  readonly operatorTailnet?: TailnetReference;
}

/** The UDP port each peer relay listens and is exposed on (`reconciler/peerrelay/service.go`). */
export const PEER_RELAY_PORT = 41641;
/** The application capability that lets a device use a peer relay. */
export const PEER_RELAY_CAPABILITY = 'tailscale.com/cap/relay';
