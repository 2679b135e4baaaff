import { Chart, type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  funnelIngressAccess,
  funnelIngressRequirements,
  funnelIngressWarnings,
  ingressHostname,
  renderFunnelIngress,
  resolveFunnelIngressProps,
  type ExposureAllowOptions,
  type FunnelIngressProps as CoreFunnelIngressProps,
  type Grant,
  type ResolvedFunnelIngressProps,
} from '@tailkube/core';
import { toApiObject } from './private/api-object';
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
export class FunnelIngress extends Construct {
  /** The props with every default applied. */
  readonly props: ResolvedFunnelIngressProps;
  /** The Ingress object's name. */
  readonly name: string;
  /** The Ingress's namespace. */
  readonly namespace: string;
  /**
   * The hostname the operator will request: the first label of the public name
   * `<hostname>.<tailnet>.ts.net`. The real name comes from the Ingress's status
   * (`status.loadBalancer.ingress[0].hostname`): a name already taken gets `-1`, and the public URL
   * changes with it.
   */
  readonly hostname: string;
  /** The tags of the Funnel proxy's device, which alone get the `funnel` attribute. */
  readonly tags: readonly string[];
  /** What the operator would do that the program should know (unreachable redirect, shared tag, …). */
  readonly warnings: readonly string[];
  /** The Ingress object. */
  readonly apiObject: ApiObject;
  readonly #path: string;

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
    super(scope, id);
    this.#path = path;
    this.props = resolved;
    this.name = resolved.name;
    this.namespace = resolved.namespace;
    this.hostname = ingressHostname(resolved);
    this.tags = resolved.tags;
    this.warnings = funnelIngressWarnings(path, props);
    for (const warning of this.warnings) process.emitWarning(warning, 'TailkubeWarning');
    this.apiObject = toApiObject(this, 'Resource', renderFunnelIngress(resolved));
  }

  /**
   * Lets `principals` on the tailnet reach the Funnel proxy too (a grant to exactly its tags on
   * 443, and 80 with a redirect). The internet reaches it without any grant. Returns the grant.
   *
   * @example
   * app.allow(['group:eng']);
   */
  allow(principals: readonly string[], options: ExposureAllowOptions = {}): Grant {
    const access = funnelIngressAccess(this.#path, this.props, principals, options);
    Tailnet.of(this).register(access.requirements);
    return access.grant;
  }
}
