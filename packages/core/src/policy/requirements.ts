import type { AutoApprovers, Grant, NodeAttr } from '@tailkube/policy';

/** OAuth scopes a tailkube program can need, least first. */
export const OAUTH_SCOPES = ['auth_keys', 'devices:core', 'services'] as const;
/** An OAuth scope the operator's client needs. */
export type OAuthScope = (typeof OAUTH_SCOPES)[number];

/** The protocols intended access is checked on. */
export type CheckedProtocol = 'tcp' | 'udp';

/**
 * Access a construct means to give or withhold, checked offline against the rendered policy.
 */
export interface AccessIntent {
  /** Who connects: a user, `group:`, `tag:` or `autogroup:`. */
  readonly src: string;
  /** What is reached: a `tag:`, `svc:`, host alias or IP. */
  readonly dst: string;
  /** The port. */
  readonly port: number;
  /**
   * The transport protocol.
   *
   * @default 'tcp'
   */
  readonly proto?: CheckedProtocol;
  /** Whether `src` should reach `dst` on `port`. */
  readonly expect: 'allow' | 'deny';
  /**
   * A capability `src` should get at `dst` (with `expect: 'allow'`), such as
   * `tailscale.com/cap/kubernetes`, holding at least `capabilityValue` when one is given.
   *
   * @default - network access only
   */
  readonly capability?: string;
  /** A value the capability must hold (compared as JSON). @default - any value */
  readonly capabilityValue?: unknown;
}

/** A cluster-scoped object a construct creates, whose name the cluster holds once. */
export interface ClusterObjectClaim {
  /** The object's kind, such as `ProxyClass`. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** Whether the cluster holds at most one object of this kind (the operator's `DNSConfig`). */
  readonly onePerCluster?: boolean;
}

/** How the operator authenticates to the tailnet, as the tailnet side must provide it. */
export type CredentialsRequirement =
  | { readonly kind: 'oauth-client' }
  | { readonly kind: 'existing-secret'; readonly secretName: string }
  | {
      readonly kind: 'workload-identity';
      readonly issuer: string;
      readonly subject: string;
      /** Set when the federated identity exists already; otherwise it is to be created. */
      readonly clientId?: string;
      readonly audience?: string;
    };

/** What the operator itself needs from the tailnet. */
export interface OperatorRequirement {
  /** Tags on the operator's own device; the operator owns every proxy tag through them. */
  readonly tags: readonly string[];
  /** The namespace the operator runs in. */
  readonly namespace: string;
  /** How the operator's OAuth client reaches it. */
  readonly credentials: CredentialsRequirement;
}

/**
 * What one construct needs from the tailnet. Pure data; the `Tailnet` merges every construct's
 * requirements into one policy and one set of OAuth scopes.
 */
export interface TailnetRequirements {
  /** The construct, as named in messages: `Kind 'path'`. */
  readonly source: string;
  /** Set by the `TailscaleOperator` only. */
  readonly operator?: OperatorRequirement;
  /** Tags on devices the operator creates for this construct; the operator's tags must own them. */
  readonly proxyTags?: readonly string[];
  /** Device hostnames the construct asks for; unique across the program. */
  readonly hostnames?: readonly string[];
  /** Access the construct's devices need or give. */
  readonly grants?: readonly Grant[];
  /** Attributes the construct's devices need, such as `funnel`. */
  readonly nodeAttrs?: readonly NodeAttr[];
  /** Routes, exit nodes and services to approve without a click in the admin console. */
  readonly autoApprovers?: AutoApprovers;
  /** OAuth scopes the operator needs for this construct. */
  readonly oauthScopes?: readonly OAuthScope[];
  /** Access to check offline once the policy is rendered. */
  readonly intendedAccess?: readonly AccessIntent[];
  /** Subnet routes the construct's devices advertise; the same route from two constructs needs HA. */
  readonly advertisedRoutes?: AdvertisedRoutes;
  /** NodePorts a ProxyClass's static endpoints take; ranges of two ProxyClasses must not clash. */
  readonly staticEndpointPorts?: readonly StaticEndpointPorts[];
  /** Cluster-scoped objects the construct creates; two constructs may not claim one name. */
  readonly clusterObjects?: readonly ClusterObjectClaim[];
  /** Ports the construct maps on a ProxyGroup whose port count the operator limits. */
  readonly proxyGroupPorts?: ProxyGroupPortClaim;
  /** The ProxyGroup a Service or Ingress of the construct names, which ProxyGroupPolicies may forbid. */
  readonly proxyGroupUse?: ProxyGroupUse;
  /** The ProxyGroups a ProxyGroupPolicy lets its namespace's Services and Ingresses name. */
  readonly proxyGroupAllowance?: ProxyGroupAllowance;
}

/** The ProxyGroup a Service or Ingress names in its `tailscale.com/proxy-group` annotation. */
export interface ProxyGroupUse {
  /** The object that carries the annotation. */
  readonly kind: 'Service' | 'Ingress';
  /** The object's namespace. */
  readonly namespace: string;
  /** The ProxyGroup's name. */
  readonly proxyGroup: string;
  /**
   * The ProxyGroupPolicy list that governs the object: `ingress` for an Ingress and a Service the
   * operator exposes (`loadBalancerClass: tailscale` or `tailscale.com/expose`), `egress` for any
   * other Service.
   */
  readonly list: 'ingress' | 'egress';
}

/** What one ProxyGroupPolicy allows in its namespace. */
export interface ProxyGroupAllowance {
  /** The namespace the policy governs. */
  readonly namespace: string;
  /** ProxyGroups that Ingresses and exposed Services may name. */
  readonly ingress: readonly string[];
  /** ProxyGroups that other Services (egress) may name. */
  readonly egress: readonly string[];
}

/** Ports one construct maps on a ProxyGroup, and the most the operator allows on the group. */
export interface ProxyGroupPortClaim {
  /** The ProxyGroup's name. */
  readonly proxyGroup: string;
  /** How many ports the construct maps. */
  readonly ports: number;
  /** The operator's limit for the whole group. */
  readonly limit: number;
}

/** Subnet routes one construct advertises, and whether it shares them on purpose. */
export interface AdvertisedRoutes {
  /** Masked CIDRs. */
  readonly routes: readonly string[];
  /** Whether another construct may advertise the same routes (a high-availability pair). */
  readonly highAvailability: boolean;
}

/** An inclusive range of NodePorts (`endPort` equals `port` for one port). */
export interface StaticEndpointPorts {
  readonly port: number;
  readonly endPort: number;
}
