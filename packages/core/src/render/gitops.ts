import type { OperatorChart } from './tailscale-operator';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';
import { literal, object, string, type Shape } from '../validate/shape';

/** How a GitOps controller installs the operator chart. */
export const GITOPS_ENGINES = ['flux', 'argocd'] as const;
/** A GitOps controller tailkube renders for. */
export type GitOpsEngine = (typeof GITOPS_ENGINES)[number];

/** The shapes of the props a flavor adds to its TailscaleOperator to choose a GitOps controller. */
export const GITOPS_OPERATOR_FIELDS: Readonly<Record<string, Shape>> = {
  gitops: literal(...GITOPS_ENGINES),
  argoCd: object({ namespace: string, project: string }),
};

/** How often Flux reconciles the chart source and release. */
const FLUX_INTERVAL = '1h';

/**
 * A Flux `HelmRepository` for Tailscale's chart repository, in the operator's namespace.
 *
 * @see https://fluxcd.io/flux/components/source/helmrepositories/
 */
export function renderFluxHelmRepository(chart: OperatorChart): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name: 'tailscale', namespace: chart.namespace, labels: { ...MANAGED_BY_LABELS } },
    spec: { interval: FLUX_INTERVAL, url: chart.repository },
  };
}

/**
 * A Flux `HelmRelease` of the operator chart at the pinned version with the typed values.
 *
 * @see https://fluxcd.io/flux/components/helm/helmreleases/
 */
export function renderFluxHelmRelease(
  chart: OperatorChart,
  values: Readonly<Record<string, unknown>>,
): KubeObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: chart.releaseName, namespace: chart.namespace, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      interval: FLUX_INTERVAL,
      releaseName: chart.releaseName,
      chart: {
        spec: {
          chart: chart.chart,
          version: chart.version,
          sourceRef: { kind: 'HelmRepository', name: 'tailscale', namespace: chart.namespace },
        },
      },
      values,
    },
  };
}

/** Where Argo CD runs and which project owns the Application. */
export interface ArgoCdOptions {
  /**
   * The namespace Argo CD watches for Applications.
   *
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * The Argo CD project.
   *
   * @default 'default'
   */
  readonly project?: string;
}

/**
 * An Argo CD `Application` installing the operator chart, as the alternative to Flux.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/helm/
 */
export function renderArgoCdApplication(
  chart: OperatorChart,
  values: Readonly<Record<string, unknown>>,
  options: ArgoCdOptions = {},
): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: chart.releaseName,
      namespace: options.namespace ?? 'argocd',
      labels: { ...MANAGED_BY_LABELS },
    },
    spec: {
      project: options.project ?? 'default',
      source: {
        repoURL: chart.repository,
        chart: chart.chart,
        targetRevision: chart.version,
        helm: { releaseName: chart.releaseName, valuesObject: values },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: chart.namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}

/** Two Flux Kustomizations: the operator first, then the resources that need its CRDs. */
export interface FluxKustomizationsOptions {
  /** The Flux source holding the synthesized files, such as a `GitRepository`. */
  readonly sourceRef: { readonly kind: 'GitRepository' | 'OCIRepository' | 'Bucket'; readonly name: string };
  /** The path of the operator's files in the source. */
  readonly operatorPath: string;
  /** The path of the files holding tailscale.com resources. */
  readonly resourcesPath: string;
  /**
   * The namespace of the Kustomizations and their source.
   *
   * @default 'flux-system'
   */
  readonly namespace?: string;
}

/**
 * Flux `Kustomization`s that apply the operator, wait for it to be ready, and only then apply the
 * custom resources, whose CRDs the operator's chart installs.
 *
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#dependencies
 */
export function renderFluxKustomizations(options: FluxKustomizationsOptions): KubeObject[] {
  const namespace = options.namespace ?? 'flux-system';
  const common = {
    interval: '10m',
    prune: true,
    sourceRef: { kind: options.sourceRef.kind, name: options.sourceRef.name },
  };
  return [
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'tailscale-operator', namespace, labels: { ...MANAGED_BY_LABELS } },
      spec: { ...common, path: options.operatorPath, wait: true },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'tailscale-resources', namespace, labels: { ...MANAGED_BY_LABELS } },
      spec: { ...common, path: options.resourcesPath, dependsOn: [{ name: 'tailscale-operator' }] },
    },
  ];
}
