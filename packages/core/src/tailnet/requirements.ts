import type { AutoApprovers, Grant, NodeAttr } from '@tailkube/policy';
import type { OperatorNamespaceMode } from '../props/tailscale-operator';

/** OAuth scopes a tailkube program can need, least first. */
export const OAUTH_SCOPES = ['auth_keys', 'devices:core', 'services:read', 'services'] as const;
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

/** A further tailnet the operator manages devices in, as an `OperatorTailnet` declares it. */
export interface TailnetDeclaration {
  /** The `Tailnet` object's name. */
  readonly name: string;
  /** The Secret holding its client's id and secret (or audience). */
  readonly secretName: string;
  /** Tags on its client, which own the proxy tags there. */
  readonly clientTags: readonly string[];
  /** Its control plane, when not Tailscale's. */
  readonly loginUrl?: string;
  /** Its own policy (HuJSON), which its requirements are merged into. */
  readonly basePolicy?: string;
}

/** What the operator itself needs from the tailnet. */
export interface OperatorRequirement {
  /** Tags on the operator's own device; the operator owns every proxy tag through them. */
  readonly tags: readonly string[];
  /** The namespace the operator runs in. */
  readonly namespace: string;
  /**
   * Who owns the namespace: whether tailkube renders it and may label it.
   *
   * @default 'dedicated'
   */
  readonly namespaceMode?: OperatorNamespaceMode;
  /** How the operator's OAuth client reaches it. */
  readonly credentials: CredentialsRequirement;
}

/**
 * What one construct needs from the tailnet, as plain data: the `Tailnet` merges every construct's
 * requirements into one policy and one set of OAuth scopes, and checks the program as a whole with
 * the cross-construct rules over every construct's {@link Claim}s.
 */
export interface TailnetRequirements {
  /** The construct, as named in messages: `Kind 'path'`. */
  readonly source: string;
  /** Set by the `TailscaleOperator` only. */
  readonly operator?: OperatorRequirement;
  /**
   * The `Tailnet` object the construct's devices join, when not the operator's own tailnet: its
   * needs go to that tailnet's requirements, never into the program's policy.
   *
   * @default - the operator's own tailnet
   */
  readonly tailnet?: string;
  /** Set by an `OperatorTailnet` only: a further tailnet and its client. */
  readonly tailnetDeclaration?: TailnetDeclaration;
  /** Tags on devices the operator creates for this construct; the operator's tags must own them. */
  readonly proxyTags?: readonly string[];
  /**
   * Whether pods the operator runs for this construct in its namespace need Pod Security
   * `privileged`: its proxies' `sysctler` init container is privileged
   * (`cmd/k8s-operator/deploy/manifests/proxy.yaml` at the tag).
   *
   * @default - true when the construct has `proxyTags`
   */
  readonly privilegedPods?: boolean;
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
  /** What the construct takes that the whole program shares: names, routes, ports. */
  readonly claims?: readonly Claim[];
  /** What the program should know about the construct but that does not stop it, for the report. */
  readonly warnings?: readonly string[];
  /**
   * The unit the flavor applies together (a cdk8s chart's path), set for the operator and for each
   * `tailscale.com` custom resource, whose CRD the operator's chart installs: one in the operator's
   * own unit is applied before its CRD exists.
   *
   * @default - the flavor orders resources itself (Pulumi waits for the chart)
   */
  readonly applyUnit?: string;
  /** The Services an Ingress sends traffic to, checked against the Services the program declares. */
  readonly backends?: readonly BackendUse[];
}

/** One Ingress backend: a Service port in the Ingress's namespace. */
export interface BackendUse {
  /** Where the backend is in the Ingress's props, such as `paths[0].backend`. */
  readonly field: string;
  readonly namespace: string;
  readonly serviceName: string;
  /** The port number, or the port's name. */
  readonly port: number | string;
}

/** A Service the program declares, with the ports it serves. */
export interface DeclaredService {
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly { readonly port: number; readonly name?: string }[];
}

/**
 * Something one construct takes that others in the program must not take too (or only on terms),
 * checked across the program by one rule per kind. `field` names the construct's field it comes
 * from, for messages.
 */
export type Claim =
  | HostnameClaim
  | RouteClaim
  | NodePortsClaim
  | ClusterObjectClaim
  | ProxyGroupPortsClaim
  | ProxyGroupUseClaim
  | ProxyGroupAllowanceClaim;

/** The kinds of {@link Claim}. */
export type ClaimKind = Claim['kind'];

/** A device hostname; unique across the program, or the second device joins as `<name>-1`. */
export interface HostnameClaim {
  readonly kind: 'hostname';
  /** The construct's field the claim comes from, as messages name it. */
  readonly field: string;
  /** The hostname the device asks for. */
  readonly hostname: string;
}

/** A subnet route the construct's devices advertise; shared only by a high-availability pair. */
export interface RouteClaim {
  readonly kind: 'route';
  /** The construct's field the claim comes from, as messages name it. */
  readonly field: string;
  /** A masked CIDR. */
  readonly route: string;
  /** Whether another construct may advertise it too. */
  readonly highAvailability: boolean;
}

/** An inclusive range of NodePorts a ProxyClass's static endpoints take. */
export interface NodePortsClaim {
  readonly kind: 'node-ports';
  /** The construct's field the claim comes from, as messages name it. */
  readonly field: string;
  readonly port: number;
  /** Equal to `port` for one port. */
  readonly endPort: number;
}

/** A cluster-scoped object the construct creates, whose name the cluster holds once. */
export interface ClusterObjectClaim {
  readonly kind: 'cluster-object';
  /** The construct's field the claim comes from, as messages name it. */
  readonly field: string;
  /** The object's kind, such as `ProxyClass`. */
  readonly objectKind: string;
  /** The object's name. */
  readonly name: string;
  /** Whether the cluster holds at most one object of this kind (the operator's `DNSConfig`). */
  readonly onePerCluster?: boolean;
}

/** Ports one construct maps on a ProxyGroup whose port count the operator limits. */
export interface ProxyGroupPortsClaim {
  readonly kind: 'proxy-group-ports';
  /** The construct's field the claim comes from, as messages name it. */
  readonly field: string;
  /** The ProxyGroup's name. */
  readonly proxyGroup: string;
  /** How many ports the construct maps. */
  readonly ports: number;
  /** The operator's limit for the whole group. */
  readonly limit: number;
}

/** The ProxyGroup a Service or Ingress names in its `tailscale.com/proxy-group` annotation. */
export interface ProxyGroupUseClaim {
  readonly kind: 'proxy-group-use';
  /** The construct's field the claim comes from, as messages name it. */
  readonly field: string;
  /** The object that carries the annotation. */
  readonly objectKind: 'Service' | 'Ingress';
  /** The object's namespace. */
  readonly namespace: string;
  /** The ProxyGroup's name. */
  readonly proxyGroup: string;
  /**
   * The ProxyGroupPolicy list that governs the object: `ingress` for an Ingress and a Service the
   * operator exposes, `egress` for any other Service.
   */
  readonly list: 'ingress' | 'egress';
}

/** What one ProxyGroupPolicy lets its namespace's Services and Ingresses name. */
export interface ProxyGroupAllowanceClaim {
  readonly kind: 'proxy-group-allowance';
  /** The construct's field the claim comes from, as messages name it. */
  readonly field: string;
  /** The namespace the policy governs. */
  readonly namespace: string;
  /** ProxyGroups that Ingresses and exposed Services may name. */
  readonly ingress: readonly string[];
  /** ProxyGroups that other Services (egress) may name. */
  readonly egress: readonly string[];
}

/** The claims of one kind in `requirements`. */
export function claimsOf<K extends ClaimKind>(
  requirements: TailnetRequirements,
  kind: K,
): Extract<Claim, { readonly kind: K }>[] {
  return (requirements.claims ?? []).filter(
    (claim): claim is Extract<Claim, { readonly kind: K }> => claim.kind === kind,
  );
}

/**
 * A record of `entries` without a prototype, for requirements keyed by a name only one construct
 * uses (its routes, its `svc:` name). A literal such as `{ [route]: tags }` gives V8's empty-object
 * hidden class one transition per distinct first key; past 1,536 of them, every object of the
 * process that gets a property name new to that class is made a slow dictionary object (the YAML
 * writer's included, which then runs five times slower). A prototype-less object has no such
 * transitions, and a `__proto__` key in it is an entry like any other.
 */
export function keyedRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}
