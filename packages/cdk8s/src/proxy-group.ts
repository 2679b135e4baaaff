import { type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  proxyGroupHostnames,
  proxyGroupRequirements,
  renderProxyGroup,
  resolveProxyGroupAttributes,
  resolveProxyGroupProps,
  type IProxyGroup,
  type ProxyGroupAttributes,
  type ProxyGroupProps as CoreProxyGroupProps,
  type ProxyGroupType,
  type ResolvedKubeAPIServer,
  type ResolvedProxyGroupProps,
  type ITailnetPrincipal,
  tailnetPlacement,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link ProxyGroup}. */
export interface ProxyGroupProps<T extends ProxyGroupType = ProxyGroupType> extends CoreProxyGroupProps<T> {}

/**
 * A ProxyGroup: a highly available set of proxies of one type. An `ingress` group serves many
 * Services and Ingresses from the same pods, each as a Tailscale Service `svc:<hostname>`; an
 * `egress` group carries many egress Services; a `kube-apiserver` group proxies the Kubernetes API
 * server behind one Tailscale Service. Cluster-scoped, so its object carries no namespace even in
 * a chart that stamps one; put it in a chart applied after the operator's (its CRD comes with the
 * chart).
 *
 * Typed by its `type`: `new ProxyGroup(chart, 'pg', { type: 'egress' })` is a
 * `ProxyGroup<'egress'>`, which an ingress construct does not accept.
 *
 * Tailnet side, registered with the app's {@link Tailnet}: its tags owned by the operator's tag, its
 * devices' hostnames; for `kube-apiserver`, its Tailscale Service approved for exactly its tags and
 * the `services` OAuth scope.
 *
 * `type` cannot change (the API server refuses it) and the operator does not retag existing
 * devices: to change either, create a new ProxyGroup.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 */
export class ProxyGroup<T extends ProxyGroupType = ProxyGroupType>
  extends Construct
  implements ITailnetPrincipal, IProxyGroup<T>
{
  /**
   * A ProxyGroup the program does not own (for example one a platform team runs), by its name,
   * type and tags. Renders nothing and adds nothing to the policy.
   */
  static fromAttributes<T extends ProxyGroupType>(
    scope: Construct,
    id: string,
    attributes: ProxyGroupAttributes<T>,
  ): IProxyGroup<T> {
    const resolved = resolveProxyGroupAttributes(pathOf('ProxyGroup', scope, id), attributes);
    return new ImportedProxyGroup(scope, id, resolved);
  }

  /** The props with every default applied. */
  readonly props: ResolvedProxyGroupProps<T>;
  /** The ProxyGroup object's name. */
  readonly name: string;
  /** The group's type. */
  readonly proxyGroupType: T;
  /** The tags on the group's devices. */
  readonly tags: readonly string[];
  /** The `Tailnet` object its devices join; `undefined` for the operator's own tailnet. */
  readonly tailnetName: string | undefined;
  /** How many devices the group runs. */
  readonly replicas: number;
  /**
   * The hostnames the operator gives the devices, `<prefix>-<i>`. The real MagicDNS names come
   * from the ProxyGroup's status (`status.devices[].hostname`): a name already taken gets `-1`.
   */
  readonly hostnames: readonly string[];
  /**
   * A `kube-apiserver` group's mode and the hostname of its Tailscale Service, with the operator's
   * defaults applied; `undefined` for other types.
   */
  readonly kubeAPIServer: T extends 'kube-apiserver' ? ResolvedKubeAPIServer : undefined;
  /** The ProxyGroup object. */
  readonly apiObject: ApiObject;

  /** Its devices' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.tags;
  }

  constructor(scope: Construct, id: string, props: ProxyGroupProps<T>) {
    const path = pathOf('ProxyGroup', scope, id);
    const resolved = resolveProxyGroupProps(path, id, props);
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(proxyGroupRequirements(path, resolved), scope);
    super(scope, id);
    this.props = resolved;
    this.name = resolved.name;
    this.proxyGroupType = resolved.type;
    this.tags = resolved.tags;
    this.tailnetName = tailnetPlacement(resolved.operatorTailnet).tailnet;
    this.replicas = resolved.replicas;
    this.hostnames = proxyGroupHostnames(resolved);
    this.kubeAPIServer = resolved.kubeAPIServer as typeof this.kubeAPIServer;
    this.apiObject = toApiObject(this, 'Resource', renderProxyGroup(resolved));
  }
}

/** A reference to a ProxyGroup by its attributes; renders nothing. */
class ImportedProxyGroup<T extends ProxyGroupType> extends Construct implements IProxyGroup<T> {
  readonly name: string;
  readonly proxyGroupType: T;
  readonly tags: readonly string[];
  readonly replicas: number;

  constructor(scope: Construct, id: string, attributes: Required<ProxyGroupAttributes<T>>) {
    super(scope, id);
    this.name = attributes.name;
    this.proxyGroupType = attributes.type;
    this.tags = attributes.tags;
    this.replicas = attributes.replicas;
  }
}
