import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  EGRESS_SERVICE_KEYS,
  argsObject,
  checkedConstructPath,
  egressServiceDnsName,
  egressServiceGrant,
  egressServiceHostnames,
  egressServiceRequirements,
  renderEgressService,
  resolveEgressServiceProps,
  type EgressPort,
  type EgressServiceProps,
  type Grant,
  type ResolvedEgressServiceProps,
  type ITailnetPrincipal,
} from '@tailkube/core/internal';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link EgressService}: the shared props, plus where it registers. */
export interface EgressServiceArgs extends EgressServiceProps {
  /**
   * The tailnet that receives the Service's requirements.
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * A Service in the cluster that reaches a device on the tailnet: an `ExternalName` Service the
 * operator points at an egress proxy, its own (standalone) or an egress ProxyGroup's. Workloads
 * connect to {@link EgressService.dnsName} on the declared ports.
 *
 * The operator rewrites `spec.externalName`, so Pulumi ignores that field after creation
 * (`ignoreChanges`), and an update of the Service leaves the operator's value in place. The
 * operator does not retag an existing standalone proxy, so a change of `tags` replaces the Service.
 *
 * Tailnet side: a standalone proxy's tags owned by the operator's tag, and the grant from the
 * proxies' tags to `policyTarget` on exactly the declared ports, checked offline to let each proxy
 * tag reach the target on each TCP port.
 *
 * @see https://tailscale.com/kb/1438/kubernetes-operator-cluster-egress
 */
export class EgressService extends pulumi.ComponentResource implements ITailnetPrincipal {
  /** The props with every default applied. */
  readonly props: ResolvedEgressServiceProps;
  /** The name workloads connect to: `<name>.<namespace>.svc.<cluster domain>`. */
  readonly dnsName: string;
  /** The ports workloads connect to, the same on the target. */
  readonly ports: readonly EgressPort[];
  /** The grants from the proxies' tags to the target, added to the policy. */
  readonly grants: readonly Grant[];
  /**
   * The hostname a standalone proxy's device asks for (none on a ProxyGroup). The real MagicDNS
   * name comes from the device: a name already taken gets `-1`.
   */
  readonly hostnames: readonly string[];
  /** The Service. */
  readonly service: k8s.core.v1.Service;

  /** Its proxies' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.props.proxyTags;
  }

  constructor(name: string, args: EgressServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('EgressService', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveEgressServiceProps(path, { name, namespace: 'default' }, props);
    const tailnet = tailnetFor(path, tailnetArg);
    const object = renderEgressService(resolved);
    tailnet._claimObjects(path, [object]);
    tailnet.register(egressServiceRequirements(path, resolved));
    super('tailkube:index:EgressService', name, {}, opts);
    this.props = resolved;
    this.dnsName = egressServiceDnsName(resolved);
    this.ports = resolved.ports;
    this.grants = [egressServiceGrant(resolved)];
    this.hostnames = egressServiceHostnames(resolved);
    const { metadata, spec } = object;
    this.service = new k8s.core.v1.Service(
      name,
      { metadata: { ...metadata }, spec: spec as k8s.types.input.core.v1.ServiceSpec },
      {
        parent: this,
        // The operator owns `spec.externalName` once it points the Service at the proxy.
        ignoreChanges: ['spec.externalName'],
        // The operator does not retag a standalone proxy's existing device.
        replaceOnChanges: [`metadata.annotations["${EGRESS_SERVICE_KEYS.tags}"]`],
      },
    );
    this.registerOutputs({ dnsName: this.dnsName, ports: this.ports });
  }
}
