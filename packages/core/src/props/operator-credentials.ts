/**
 * How the operator authenticates to the tailnet. None of the ways has a human copy a secret.
 *
 * @see https://tailscale.com/kb/1236/kubernetes-operator#prerequisites
 */
export type OperatorCredentials =
  ExistingSecretCredentials | OAuthClientCredentials | WorkloadIdentityCredentials;

/** An OAuth client's id and secret in a Secret the program does not own. */
export interface ExistingSecretCredentials {
  readonly kind: 'existing-secret';
  /** A Secret in the operator's namespace with the keys `client_id` and `client_secret`. */
  readonly secretName: string;
}

/** A new OAuth client with the least scopes and the operator's tags (Pulumi only). */
export interface OAuthClientCredentials {
  readonly kind: 'oauth-client';
}

/**
 * Workload identity federation: the operator's service account token is exchanged for tailnet
 * access, so there is no secret at all. Needs an OIDC issuer that Tailscale can reach.
 *
 * @see https://tailscale.com/kb/1581/workload-identity-federation
 */
export interface WorkloadIdentityCredentials {
  readonly kind: 'workload-identity';
  /** The cluster's service account issuer: a public `https://` URL Tailscale can fetch. */
  readonly issuer: string;
  /**
   * The federated identity's client id.
   *
   * @default - Pulumi creates the federated identity and uses its id; cdk8s requires it
   */
  readonly clientId?: string;
  /**
   * The audience the operator's token is minted for.
   *
   * @default - Pulumi uses the created identity's audience; cdk8s requires it
   */
  readonly audience?: string;
}

/** The ways to give the operator its credentials. */
export const OPERATOR_CREDENTIAL_KINDS = ['existing-secret', 'oauth-client', 'workload-identity'] as const;

/** Factories for {@link OperatorCredentials}. */
export const OperatorCredentials = {
  /** An existing Secret with `client_id` and `client_secret`, in the operator's namespace. */
  fromSecret(secretName: string): ExistingSecretCredentials {
    return { kind: 'existing-secret', secretName };
  },
  /** A new OAuth client with derived scopes and tags (Pulumi creates it). */
  oauthClient(): OAuthClientCredentials {
    return { kind: 'oauth-client' };
  },
  /** Workload identity federation through the cluster's OIDC issuer. */
  workloadIdentity(options: Omit<WorkloadIdentityCredentials, 'kind'>): WorkloadIdentityCredentials {
    return { kind: 'workload-identity', ...options };
  },
} as const;

/** The Secret the chart mounts when no other is named. */
export const DEFAULT_OPERATOR_SECRET = 'operator-oauth';
