import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  REPLACE_ON_CHANGES,
  argsObject,
  checkedConstructPath,
  ingressTagsNeedNewProxy,
  renderTailscaleIngress,
  resolveTailscaleIngressProps,
  tailscaleIngressRequirements,
  tailscaleIngressTarget,
  tailscaleIngressWarnings,
  type ResolvedTailscaleIngressProps,
  type TailscaleIngressProps,
} from '@tailkube/core/internal';
import { ingressArgs, ingressUrl } from './private/ingress';
import { ExposureComponent } from './private/exposure';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link TailscaleIngress}: the shared props, plus where it registers. */
export interface TailscaleIngressArgs extends TailscaleIngressProps {
  /**
   * The tailnet that receives the Ingress's requirements.
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * A Tailscale Ingress: HTTPS on the tailnet only, at `https://<hostname>.<tailnet>.ts.net`, in
 * front of Services in its namespace. Served by a proxy of its own (one pod, one tailnet device),
 * or by an ingress {@link ProxyGroup} as the Tailscale Service `svc:<hostname>`. Waits for the
 * operator's chart (which creates the IngressClass) when the tailnet has a {@link TailscaleOperator},
 * and for the ProxyGroup when the program owns it.
 *
 * Stricter than the operator where it degrades silently: one hostname, no `Exact` paths, no path
 * served twice. A backend on port 443 or a port named `https` is proxied as HTTPS without
 * certificate verification; it is logged as a warning. A standalone proxy keeps the tags it joined
 * with, so a change of `tags` replaces the Ingress (`replaceOnChanges`).
 *
 * Tailnet side: its tags owned by the operator's tag, its hostname unique in the program, and on a
 * ProxyGroup `svc:<hostname>` approved for the group's tags. Nobody may reach it until
 * {@link TailscaleIngress.allow} says who.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 */
export class TailscaleIngress extends ExposureComponent {
  /** The props with every default applied. */
  readonly props: ResolvedTailscaleIngressProps;
  /** What the operator would do that the program should know (HTTPS backends not verified). */
  readonly warnings: readonly string[];
  /** The Ingress. */
  readonly resource: k8s.networking.v1.Ingress;
  /**
   * `https://<MagicDNS name>` from the Ingress's status, once the operator has set it; `undefined`
   * before (and in previews).
   */
  readonly url: pulumi.Output<string | undefined>;

  constructor(name: string, args: TailscaleIngressArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('TailscaleIngress', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveTailscaleIngressProps(path, { name, namespace: 'default' }, props);
    const tailnet = tailnetFor(path, tailnetArg);
    const object = renderTailscaleIngress(resolved);
    tailnet._claimObjects(path, [object]);
    tailnet.register(tailscaleIngressRequirements(path, resolved));
    super('tailkube:index:TailscaleIngress', name, opts, {
      target: tailscaleIngressTarget(path, resolved),
      identity: resolved,
      tailnet,
    });
    this.props = resolved;
    this.warnings = tailscaleIngressWarnings(path, props);
    for (const warning of this.warnings) void pulumi.log.warn(warning, this);
    const group = resolved.proxyGroup;
    // Waits for the operator's chart (the IngressClass, the CRDs) and the ProxyGroup serving it.
    const dependsOn: Promise<pulumi.Resource[]> = tailnet
      ._crdDependencies()
      .then((deps) => [...deps, ...(pulumi.Resource.isInstance(group) ? [group] : [])]);
    this.resource = new k8s.networking.v1.Ingress(name, ingressArgs(object), {
      parent: this,
      dependsOn,
      ...(ingressTagsNeedNewProxy(resolved) && {
        replaceOnChanges: [...REPLACE_ON_CHANGES.TagsAnnotation],
      }),
    });
    this.url = ingressUrl(this.resource);
    this.registerOutputs({ name: resolved.name, hostname: this.hostname, url: this.url });
  }
}
