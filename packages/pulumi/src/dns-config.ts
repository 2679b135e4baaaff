import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  argsObject,
  checkedConstructPath,
  corednsServerBlock,
  dnsConfigRequirements,
  renderCoreDnsStub,
  renderDNSConfig,
  resolveDNSConfigProps,
  type DNSConfigProps,
  type ResolvedDNSConfigProps,
} from '@tailkube/core/internal';
import { customResourceArgs } from './private/custom-resource';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link DNSConfig}: the shared props, plus where it registers. */
export interface DNSConfigArgs extends DNSConfigProps {
  /**
   * The tailnet the DNSConfig registers with (to hold one DNSConfig per cluster).
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * A DNSConfig: the operator's nameserver for the `ts.net` names of the cluster's egress Services
 * and Ingresses, running the pinned `k8s-nameserver` image. A cluster-scoped
 * `tailscale.com/v1alpha1` custom resource that waits for the operator's chart (its CRD) when the
 * tailnet has a {@link TailscaleOperator}.
 *
 * One per cluster: a second DNSConfig in the program fails when the tailnet is sealed (the
 * operator would only warn). It adds nothing to the tailnet policy.
 *
 * @see https://tailscale.com/kb/1438/kubernetes-operator-cluster-egress
 */
export class DNSConfig extends pulumi.ComponentResource {
  /** The props with every default applied. */
  readonly props: ResolvedDNSConfigProps;
  /** The DNSConfig object's name. */
  readonly name: string;
  /**
   * The CoreDNS server block forwarding `ts.net` to the nameserver, when `clusterIP` is fixed; add
   * it to the cluster's Corefile (or let `coreDnsStub` render it).
   */
  readonly corednsServerBlock?: string;
  /** The DNSConfig custom resource. */
  readonly resource: k8s.apiextensions.CustomResource;
  /** The ConfigMap holding the CoreDNS stub, when `coreDnsStub` asks for it. */
  readonly coreDnsStub?: k8s.core.v1.ConfigMap;

  constructor(name: string, args: DNSConfigArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('DNSConfig', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveDNSConfigProps(path, name, props);
    const tailnet = tailnetFor(path, tailnetArg);
    const object = renderDNSConfig(resolved);
    const stub = renderCoreDnsStub(resolved);
    tailnet._claimObjects(path, stub ? [object, stub] : [object]);
    tailnet.register(dnsConfigRequirements(path, resolved));
    super('tailkube:index:DNSConfig', name, {}, opts);
    this.props = resolved;
    this.name = resolved.name;
    if (resolved.clusterIP !== undefined) this.corednsServerBlock = corednsServerBlock(resolved.clusterIP);
    // Waits for the operator's chart (the CRDs), when the tailnet has an operator.
    const dependsOn: Promise<pulumi.Resource[]> = tailnet._crdDependencies();
    this.resource = new k8s.apiextensions.CustomResource(name, customResourceArgs(object), {
      parent: this,
      dependsOn,
    });
    if (stub) {
      const { metadata, data } = stub;
      this.coreDnsStub = new k8s.core.v1.ConfigMap(
        `${name}-coredns-stub`,
        { metadata: { ...metadata }, data: data as Record<string, string> },
        { parent: this },
      );
    }
    this.registerOutputs({ name: resolved.name, clusterIP: resolved.clusterIP });
  }
}
