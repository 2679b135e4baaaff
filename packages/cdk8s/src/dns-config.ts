import { type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  corednsServerBlock,
  dnsConfigRequirements,
  renderCoreDnsStub,
  renderDNSConfig,
  resolveDNSConfigProps,
  type DNSConfigProps as CoreDNSConfigProps,
  type ResolvedDNSConfigProps,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link DNSConfig}. */
export interface DNSConfigProps extends CoreDNSConfigProps {}

/**
 * A DNSConfig: the operator's nameserver for the `ts.net` names of the cluster's egress Services
 * and Ingresses, running the pinned `k8s-nameserver` image. Cluster-scoped; put it in a chart
 * applied after the operator's (its CRD comes with the chart).
 *
 * One per cluster: a second DNSConfig in the app fails the synth (the operator would only warn).
 * It adds nothing to the tailnet policy.
 *
 * @see https://tailscale.com/kb/1438/kubernetes-operator-cluster-egress
 */
export class DNSConfig extends Construct {
  /** The props with every default applied. */
  readonly props: ResolvedDNSConfigProps;
  /** The DNSConfig object's name. */
  readonly name: string;
  /**
   * The CoreDNS server block forwarding `ts.net` to the nameserver, when `clusterIP` is fixed; add
   * it to the cluster's Corefile (or let `coreDnsStub` render it).
   */
  readonly corednsServerBlock?: string;
  /** The DNSConfig object. */
  readonly apiObject: ApiObject;
  /** The ConfigMap holding the CoreDNS stub, when `coreDnsStub` asks for it. */
  readonly coreDnsStub?: ApiObject;

  constructor(scope: Construct, id: string, props: DNSConfigProps = {}) {
    const path = pathOf('DNSConfig', scope, id);
    const resolved = resolveDNSConfigProps(path, id, props);
    // Registered before the construct joins the tree, so a second DNSConfig leaves nothing behind
    // once the tailnet checks the program.
    Tailnet.of(scope).register(dnsConfigRequirements(path, resolved), scope);
    super(scope, id);
    this.props = resolved;
    this.name = resolved.name;
    if (resolved.clusterIP !== undefined) this.corednsServerBlock = corednsServerBlock(resolved.clusterIP);
    this.apiObject = toApiObject(this, 'Resource', renderDNSConfig(resolved));
    const stub = renderCoreDnsStub(resolved);
    if (stub) this.coreDnsStub = toApiObject(this, 'CoreDnsStub', stub);
  }
}
