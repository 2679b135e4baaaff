import { Chart, type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  egressServiceDnsName,
  egressServiceGrant,
  egressServiceHostnames,
  egressServiceRequirements,
  renderEgressService,
  resolveEgressServiceProps,
  type EgressPort,
  type EgressServiceProps as CoreEgressServiceProps,
  type Grant,
  type ResolvedEgressServiceProps,
  type ITailnetPrincipal,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link EgressService}. */
export interface EgressServiceProps extends CoreEgressServiceProps {}

/**
 * A Service in the cluster that reaches a device on the tailnet: an `ExternalName` Service the
 * operator points at an egress proxy, its own (standalone) or an egress ProxyGroup's. Workloads
 * connect to {@link EgressService.dnsName} on the declared ports.
 *
 * Tailnet side, registered with the app's {@link Tailnet}: a standalone proxy's tags owned by the
 * operator's tag, and the grant from the proxies' tags to `policyTarget` on exactly the declared
 * ports, checked offline to let each proxy tag reach the target on each TCP port.
 *
 * The operator rewrites `spec.externalName`; a GitOps tool that re-applies the placeholder undoes
 * it until the operator reconciles again (see the construct's docs for the remedy).
 *
 * @see https://tailscale.com/kb/1438/kubernetes-operator-cluster-egress
 */
export class EgressService extends Construct implements ITailnetPrincipal {
  /** The props with every default applied. */
  readonly props: ResolvedEgressServiceProps;
  /** The Service's name. */
  readonly name: string;
  /** The Service's namespace. */
  readonly namespace: string;
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
  /** The Service object. */
  readonly apiObject: ApiObject;

  /** Its proxies' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.props.proxyTags;
  }

  constructor(scope: Construct, id: string, props: EgressServiceProps) {
    const path = pathOf('EgressService', scope, id);
    const resolved = resolveEgressServiceProps(
      path,
      { name: id, namespace: Chart.of(scope).namespace ?? 'default' },
      props,
    );
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(egressServiceRequirements(path, resolved));
    super(scope, id);
    this.props = resolved;
    this.name = resolved.name;
    this.namespace = resolved.namespace;
    this.dnsName = egressServiceDnsName(resolved);
    this.ports = resolved.ports;
    this.grants = [egressServiceGrant(resolved)];
    this.hostnames = egressServiceHostnames(resolved);
    this.apiObject = toApiObject(this, 'Resource', renderEgressService(resolved));
  }
}
