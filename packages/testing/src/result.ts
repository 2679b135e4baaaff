import type { KubeObject, PolicyDocument, TailnetReport } from '@tailkube/core';

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
