import { Chart, type ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  funnelIngressRequirements,
  funnelIngressTarget,
  funnelIngressWarnings,
  renderFunnelIngress,
  resolveFunnelIngressProps,
  type FunnelIngressProps as CoreFunnelIngressProps,
  type ResolvedFunnelIngressProps,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { ExposureConstruct } from './private/exposure';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link FunnelIngress}. */
export interface FunnelIngressProps extends CoreFunnelIngressProps {}

/**
 * A Funnel Ingress: HTTPS on 443 that ANYONE on the internet reaches, at
 * `https://<hostname>.<tailnet>.ts.net`, in front of Services in its namespace. Refuses to exist
 * without `public: true`. Served by a proxy of its own: the operator does not funnel ProxyGroups.
 *
 * Tailnet side, registered with the app's {@link Tailnet}: its tags (by default `tag:k8s-funnel`,
 * a tag of its own) owned by the operator's tag, and the `funnel` node attribute for exactly those
 * tags, so ordinary proxies never get it. {@link FunnelIngress.allow} lets tailnet principals in
 * too; the internet needs no grant.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 * @see https://tailscale.com/kb/1223/funnel
 */
export class FunnelIngress extends ExposureConstruct {
  /** The props with every default applied. */
  readonly props: ResolvedFunnelIngressProps;
  /** What the operator would do that the program should know (unreachable redirect, shared tag, …). */
  readonly warnings: readonly string[];
  /** The Ingress object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: FunnelIngressProps) {
    const path = pathOf('FunnelIngress', scope, id);
    const resolved = resolveFunnelIngressProps(
      path,
      { name: id, namespace: Chart.of(scope).namespace ?? 'default' },
      props,
    );
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(funnelIngressRequirements(path, resolved));
    super(scope, id, funnelIngressTarget(path, resolved), resolved);
    this.props = resolved;
    this.warnings = funnelIngressWarnings(path, props);
    for (const warning of this.warnings) process.emitWarning(warning, 'TailkubeWarning');
    this.apiObject = toApiObject(this, 'Resource', renderFunnelIngress(resolved));
  }
}
