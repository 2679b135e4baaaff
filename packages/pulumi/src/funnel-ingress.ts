import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  REPLACE_ON_CHANGES,
  argsObject,
  checkedConstructPath,
  funnelIngressRequirements,
  funnelIngressTarget,
  funnelIngressWarnings,
  renderFunnelIngress,
  resolveFunnelIngressProps,
  type FunnelIngressProps,
  type ResolvedFunnelIngressProps,
} from '@tailkube/core/internal';
import { ingressArgs, ingressUrl } from './private/ingress';
import { ExposureComponent } from './private/exposure';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link FunnelIngress}: the shared props, plus where it registers. */
export interface FunnelIngressArgs extends FunnelIngressProps {
  /**
   * The tailnet that receives the Ingress's requirements.
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * A Funnel Ingress: HTTPS on 443 that ANYONE on the internet reaches, at
 * `https://<hostname>.<tailnet>.ts.net`, in front of Services in its namespace. Refuses to exist
 * without `public: true`. Served by a proxy of its own: the operator does not funnel ProxyGroups.
 * Waits for the operator's chart when the tailnet has a {@link TailscaleOperator}. The proxy keeps
 * the tags it joined with, so a change of `tags` replaces the Ingress (`replaceOnChanges`).
 *
 * Tailnet side: its tags (by default `tag:k8s-funnel`, a tag of its own) owned by the operator's
 * tag, and the `funnel` node attribute for exactly those tags, so ordinary proxies never get it.
 * {@link FunnelIngress.allow} lets tailnet principals in too; the internet needs no grant.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 * @see https://tailscale.com/kb/1223/funnel
 */
export class FunnelIngress extends ExposureComponent {
  /** The props with every default applied. */
  readonly props: ResolvedFunnelIngressProps;
  /** What the operator would do that the program should know (unreachable redirect, shared tag, …). */
  readonly warnings: readonly string[];
  /** The Ingress. */
  readonly resource: k8s.networking.v1.Ingress;
  /**
   * The public URL, `https://<MagicDNS name>`, from the Ingress's status once the operator has set
   * it; `undefined` before (and in previews). Feed DNS (a CNAME, a Cloudflare origin) from it.
   */
  readonly url: pulumi.Output<string | undefined>;

  constructor(name: string, args: FunnelIngressArgs, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('FunnelIngress', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveFunnelIngressProps(path, { name, namespace: 'default' }, props);
    const tailnet = tailnetFor(path, tailnetArg);
    const object = renderFunnelIngress(resolved);
    tailnet._claimObjects(path, [object]);
    tailnet.register(funnelIngressRequirements(path, resolved));
    super('tailkube:index:FunnelIngress', name, opts, {
      target: funnelIngressTarget(path, resolved),
      identity: resolved,
      tailnet,
    });
    this.props = resolved;
    this.warnings = funnelIngressWarnings(path, props);
    for (const warning of this.warnings) void pulumi.log.warn(warning, this);
    // Waits for the operator's chart (the IngressClass, the CRDs), when the tailnet has an operator.
    const dependsOn: Promise<pulumi.Resource[]> = tailnet._crdDependencies();
    this.resource = new k8s.networking.v1.Ingress(name, ingressArgs(object), {
      parent: this,
      dependsOn,
      // The operator does not retag a running proxy.
      replaceOnChanges: [...REPLACE_ON_CHANGES.TagsAnnotation],
    });
    this.url = ingressUrl(this.resource);
    this.registerOutputs({ name: resolved.name, hostname: this.hostname, url: this.url });
  }
}
