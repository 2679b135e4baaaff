/** A Kubernetes object as plain data, before a framework wraps it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: KubeMetadata;
  readonly [field: string]: unknown;
}

/** The metadata tailkube sets. */
export interface KubeMetadata {
  readonly name: string;
  /** Absent for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Labels tailkube puts on every object it renders. */
export const MANAGED_BY_LABELS = { 'app.kubernetes.io/managed-by': 'tailkube' } as const;

/** The API version of the operator's custom resources (Connector, ProxyClass, …). */
export const TAILSCALE_API_VERSION = 'tailscale.com/v1alpha1';
