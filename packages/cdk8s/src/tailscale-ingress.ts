import { Chart, type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ingressHostname,
  renderTailscaleIngress,
  resolveTailscaleIngressProps,
  tailscaleIngressAccess,
  tailscaleIngressRequirements,
  tailscaleIngressWarnings,
  type ExposureAllowOptions,
  type Grant,
  type ResolvedTailscaleIngressProps,
  type TailscaleIngressProps as CoreTailscaleIngressProps,
} from '@tailkube/core';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link TailscaleIngress}. */
export interface TailscaleIngressProps extends CoreTailscaleIngressProps {}

/**
 * A Tailscale Ingress: HTTPS on the tailnet only, at `https://<hostname>.<tailnet>.ts.net`, in
 * front of Services in its namespace. Served by a proxy of its own (one pod, one tailnet device),
 * or by an ingress {@link ProxyGroup} as the Tailscale Service `svc:<hostname>`.
 *
 * Stricter than the operator where it degrades silently: one hostname, no `Exact` paths, no
 * path served twice. A backend on port 443 or a port named `https` is proxied as HTTPS without
 * certificate verification; it is reported as a Node.js warning (`TailkubeWarning`).
 *
 * Tailnet side, registered with the app's {@link Tailnet}: its tags owned by the operator's tag,
 * its hostname unique in the program, and on a ProxyGroup `svc:<hostname>` approved for the group's
 * tags. Nobody may reach it until {@link TailscaleIngress.allow} says who.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 */
export class TailscaleIngress extends Construct {
  /** The props with every default applied. */
  readonly props: ResolvedTailscaleIngressProps;
  /** The Ingress object's name. */
  readonly name: string;
  /** The Ingress's namespace. */
  readonly namespace: string;
  /**
   * The hostname the operator will request: the first label of the MagicDNS name. The real name
   * comes from the Ingress's status (`status.loadBalancer.ingress[0].hostname`): a name already
   * taken on the tailnet gets `-1`.
   */
  readonly hostname: string;
  /** The tags of the proxy's device, or of the Tailscale Service on a ProxyGroup. */
  readonly tags: readonly string[];
  /** What the operator would do that the program should know (HTTPS backends not verified). */
  readonly warnings: readonly string[];
  /** The Ingress object. */
  readonly apiObject: ApiObject;
  readonly #path: string;

  constructor(scope: Construct, id: string, props: TailscaleIngressProps = {}) {
    const path = pathOf('TailscaleIngress', scope, id);
    const resolved = resolveTailscaleIngressProps(
      path,
      { name: id, namespace: Chart.of(scope).namespace ?? 'default' },
      props,
    );
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(tailscaleIngressRequirements(path, resolved));
    super(scope, id);
    this.#path = path;
    this.props = resolved;
    this.name = resolved.name;
    this.namespace = resolved.namespace;
    this.hostname = ingressHostname(resolved);
    this.tags = resolved.tags;
    this.warnings = tailscaleIngressWarnings(path, props);
    for (const warning of this.warnings) process.emitWarning(warning, 'TailkubeWarning');
    this.apiObject = toApiObject(this, 'Resource', renderTailscaleIngress(resolved));
  }

  /**
   * Lets `principals` reach the Ingress, and nothing more: a grant to exactly its tags
   * (standalone) or its `svc:` name (ProxyGroup), on 443 (and 80 with an HTTP redirect or
   * endpoint). The access is checked against the rendered policy, with a principal not named.
   * Returns the grant added to the policy.
   *
   * @example
   * dashboard.allow(['group:eng']);
   */
  allow(principals: readonly string[], options: ExposureAllowOptions = {}): Grant {
    const access = tailscaleIngressAccess(this.#path, this.props, principals, options);
    Tailnet.of(this).register(access.requirements);
    return access.grant;
  }
}
