import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  REPLACE_ON_CHANGES,
  argsObject,
  checkedConstructPath,
  constructPath,
  proxyGroupHostnames,
  proxyGroupRequirements,
  renderProxyGroup,
  resolveProxyGroupAttributes,
  resolveProxyGroupProps,
  type IProxyGroup,
  type ProxyGroupAttributes,
  type ProxyGroupProps,
  type ProxyGroupType,
  type ResolvedKubeAPIServer,
  type ResolvedProxyGroupProps,
  type ITailnetPrincipal,
  tailnetPlacement,
} from '@tailkube/core/internal';
import { customResourceArgs } from './private/custom-resource';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link ProxyGroup}: the shared props, plus where it registers. */
export interface ProxyGroupArgs<T extends ProxyGroupType = ProxyGroupType> extends ProxyGroupProps<T> {
  /**
   * The tailnet that receives the ProxyGroup's requirements.
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * A ProxyGroup: a highly available set of proxies of one type. An `ingress` group serves many
 * Services and Ingresses from the same pods, each as a Tailscale Service `svc:<hostname>`; an
 * `egress` group carries many egress Services; a `kube-apiserver` group proxies the Kubernetes API
 * server behind one Tailscale Service. A cluster-scoped `tailscale.com/v1alpha1` custom resource
 * that waits for the operator's chart (its CRD) when the tailnet has a {@link TailscaleOperator}.
 *
 * Typed by its `type`: `new ProxyGroup('pg', { type: 'egress' })` is a `ProxyGroup<'egress'>`,
 * which an ingress component does not accept.
 *
 * The API server refuses a change of `type`, and the operator does not retag existing devices, so
 * a change of either (or of `operatorTailnet`) replaces the resource (`replaceOnChanges`).
 *
 * Tailnet side: its tags owned by the operator's tag, its devices' hostnames; for
 * `kube-apiserver`, its Tailscale Service approved for exactly its tags and the `services` OAuth
 * scope.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 */
export class ProxyGroup<T extends ProxyGroupType = ProxyGroupType>
  extends pulumi.ComponentResource
  implements ITailnetPrincipal, IProxyGroup<T>
{
  /**
   * A ProxyGroup the program does not own (for example one a platform team runs), by its name,
   * type and tags. Creates nothing and adds nothing to the policy.
   */
  static fromAttributes<T extends ProxyGroupType>(attributes: ProxyGroupAttributes<T>): IProxyGroup<T> {
    const resolved = resolveProxyGroupAttributes(constructPath('ProxyGroup', attributes.name), attributes);
    return {
      name: resolved.name,
      proxyGroupType: resolved.type,
      tags: resolved.tags,
      replicas: resolved.replicas,
    };
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
  /** The ProxyGroup custom resource. */
  readonly resource: k8s.apiextensions.CustomResource;

  /** Its devices' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.tags;
  }

  constructor(name: string, args: ProxyGroupArgs<T>, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('ProxyGroup', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveProxyGroupProps(path, name, props);
    const tailnet = tailnetFor(path, tailnetArg);
    const object = renderProxyGroup(resolved);
    tailnet._claimObjects(path, [object]);
    tailnet.register(proxyGroupRequirements(path, resolved));
    super('tailkube:index:ProxyGroup', name, {}, opts);
    this.props = resolved;
    this.name = resolved.name;
    this.proxyGroupType = resolved.type;
    this.tags = resolved.tags;
    this.tailnetName = tailnetPlacement(resolved.operatorTailnet).tailnet;
    this.replicas = resolved.replicas;
    this.hostnames = proxyGroupHostnames(resolved);
    this.kubeAPIServer = resolved.kubeAPIServer as typeof this.kubeAPIServer;
    // Waits for the operator's chart (the CRDs), when the tailnet has an operator.
    const dependsOn: Promise<pulumi.Resource[]> = tailnet._crdDependencies();
    this.resource = new k8s.apiextensions.CustomResource(name, customResourceArgs(object), {
      parent: this,
      dependsOn,
      // The API server refuses a change of type or tailnet; the operator does not retag devices.
      replaceOnChanges: [...REPLACE_ON_CHANGES.ProxyGroup],
    });
    this.registerOutputs({ name: resolved.name, type: resolved.type, hostnames: this.hostnames });
  }
}
