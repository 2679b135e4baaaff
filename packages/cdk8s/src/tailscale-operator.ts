import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  OperatorCredentials,
  operatorChart,
  operatorRequirements,
  renderArgoCdApplication,
  renderFluxHelmRelease,
  renderFluxHelmRepository,
  renderOperatorNamespace,
  renderOperatorValues,
  resolveTailscaleOperatorProps,
  type ArgoCdOptions,
  type GitOpsEngine,
  type ResolvedTailscaleOperatorProps,
  type TailscaleOperatorProps as CoreTailscaleOperatorProps,
} from '@tailkube/core';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link TailscaleOperator}. */
export interface TailscaleOperatorProps extends CoreTailscaleOperatorProps {
  /**
   * Which GitOps controller installs the chart: a Flux `HelmRepository` + `HelmRelease`, or an
   * Argo CD `Application`.
   *
   * @default 'flux'
   */
  readonly gitops?: GitOpsEngine;
  /**
   * Where the Argo CD `Application` goes, when `gitops` is `'argocd'`.
   *
   * @default - namespace `argocd`, project `default`
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * The Tailscale Kubernetes Operator, installed from the official chart at the pinned version by a
 * GitOps controller, in a namespace labelled for its privileged proxies. Registers the operator's
 * tags, its proxies' tags and its OAuth client's scopes with the app's {@link Tailnet}.
 *
 * Put it in a chart of its own: the operator's chart installs the CRDs that Connectors, ProxyClasses
 * and the other tailscale.com resources need, so those must be applied after it
 * (see {@link OperatorKustomizations}).
 *
 * @see https://tailscale.com/kb/1236/kubernetes-operator
 */
export class TailscaleOperator extends Construct {
  /** The props with every default applied. */
  readonly props: ResolvedTailscaleOperatorProps;
  /** The operator's namespace. */
  readonly namespace: string;
  /** The tags on the operator's device. */
  readonly tags: readonly string[];

  constructor(scope: Construct, id: string, props: TailscaleOperatorProps = {}) {
    const path = pathOf('TailscaleOperator', scope, id);
    const resolved = resolveTailscaleOperatorProps(path, props, {
      defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
      createsOAuthClient: false,
      createsFederatedIdentity: false,
    });
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(operatorRequirements(path, resolved));
    super(scope, id);
    this.props = resolved;
    this.namespace = resolved.namespace;
    this.tags = resolved.tags;

    const chart = operatorChart(resolved);
    const values = Lazy.any({ produce: () => renderOperatorValues(this.props) }) as unknown as Record<
      string,
      unknown
    >;
    toApiObject(this, 'Namespace', renderOperatorNamespace(resolved));
    if ((props.gitops ?? 'flux') === 'flux') {
      toApiObject(this, 'HelmRepository', renderFluxHelmRepository(chart));
      toApiObject(this, 'Resource', renderFluxHelmRelease(chart, values));
    } else {
      toApiObject(this, 'Resource', renderArgoCdApplication(chart, values, props.argoCd));
    }
  }
}
