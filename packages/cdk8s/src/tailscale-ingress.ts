import { Chart, type ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  renderTailscaleIngress,
  resolveTailscaleIngressProps,
  tailscaleIngressRequirements,
  tailscaleIngressTarget,
  tailscaleIngressWarnings,
  type ResolvedTailscaleIngressProps,
  type TailscaleIngressProps as CoreTailscaleIngressProps,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { ExposureConstruct } from './private/exposure';
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
export class TailscaleIngress extends ExposureConstruct {
  /** The props with every default applied. */
  readonly props: ResolvedTailscaleIngressProps;
  /** What the operator would do that the program should know (HTTPS backends not verified). */
  readonly warnings: readonly string[];
  /** The Ingress object. */
  readonly apiObject: ApiObject;

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
    super(scope, id, tailscaleIngressTarget(path, resolved), resolved);
    this.props = resolved;
    this.warnings = tailscaleIngressWarnings(path, props);
    for (const warning of this.warnings) process.emitWarning(warning, 'TailkubeWarning');
    this.apiObject = toApiObject(this, 'Resource', renderTailscaleIngress(resolved));
  }
}
