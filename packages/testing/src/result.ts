import type { KubeObject, PolicyDocument, TailnetReport, TailnetRequirements } from '@tailkube/core/internal';

/** What a tailkube program produced, in the same shape for both flavors. */
export interface SynthResult {
  /** The Kubernetes objects, as they would be applied (secret values shown as `[secret]`). */
  readonly objects: readonly KubeObject[];
  /** Helm charts a Pulumi program installs (cdk8s installs charts through objects instead). */
  readonly charts: readonly ChartInstall[];
  /** The merged tailnet policy. */
  readonly policy: PolicyDocument;
  /** The policy as HuJSON text, exactly as written or applied. */
  readonly policyText: string;
  /** OAuth scopes, tags, hostnames and intended access. */
  readonly requirements: TailnetReport;
  /**
   * What each construct registered with the tailnet (tags, hostnames, grants, auto-approved routes
   * and Tailscale Services), sorted by `source`, the construct as named in messages:
   * `Kind 'path'`. A construct that registers twice (a `Connector` and its `allow`) has two entries.
   */
  readonly constructRequirements: readonly TailnetRequirements[];
  /**
   * The `source` a construct of this program registered under (`Connector 'platform/office'`), or
   * `undefined` when `construct` is not one: an object of another program, or a construct that
   * registered nothing with the tailnet. How the matchers turn a construct into its devices.
   *
   * @example
   * result.sourceOf(connector); // "Connector 'platform/office'"
   */
  readonly sourceOf: (construct: object) => string | undefined;
}

/** A Helm chart installed by a Pulumi `helm.v4.Chart`. */
export interface ChartInstall {
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly namespace: string;
  readonly values: Readonly<Record<string, unknown>>;
}
