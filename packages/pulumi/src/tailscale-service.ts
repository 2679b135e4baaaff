import type * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  SERVICE_TO_EXPOSE_SHAPE,
  argsObject,
  checkShape,
  checkedConstructPath,
  renderTailscaleService,
  resolveTailscaleServiceProps,
  REPLACE_ON_CHANGES,
  tailscaleServiceExposure,
  tailscaleServiceRequirements,
  type ResolvedTailscaleServiceProps,
  type TailscaleServicePort,
  type ServiceReference,
  type TailscaleServiceProps,
} from '@tailkube/core/internal';
import { ExposureComponent } from './private/exposure';
import { tailnetFor, type Tailnet } from './tailnet';

/**
 * The Service to expose: one the program declares (its name and namespace, and the resource, so
 * the companion copies its selector and ports), or one the cluster has, by name.
 */
export interface ServiceToExpose extends ServiceReference {
  /**
   * The Service resource, when the program declares it: a companion `LoadBalancer` Service then
   * selects its pods (`spec.selector`) on the same target ports.
   *
   * @default - a Service known only by name: exposed through an `ExternalName` companion
   */
  readonly resource?: k8s.core.v1.Service;
}

/** Arguments of the Pulumi {@link TailscaleService}: the shared props, the Service, and the tailnet. */
export interface TailscaleServiceArgs extends TailscaleServiceProps {
  /** The Service to expose. */
  readonly service: ServiceToExpose;
  /**
   * The tailnet that receives the Service's requirements.
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * Exposes a Kubernetes Service to the tailnet (L3), standalone or on an ingress ProxyGroup, through
 * a companion Service: a `LoadBalancer` of class `tailscale` selecting the same pods when the
 * Service resource is given, else an `ExternalName` Service pointing at its cluster DNS name.
 * (Annotating the Service itself is for programs that build its object, as cdk8s does.)
 *
 * The operator does not apply changed tags to an existing proxy, so a change of `tags` replaces
 * the companion (`replaceOnChanges`).
 *
 * Tailnet side: its tags owned by the operator's tag, its hostname unique in the program; on a
 * ProxyGroup, `svc:<hostname>` approved for the group's tags and the `services` OAuth scope.
 * {@link TailscaleService.allow} says who may reach it.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 */
export class TailscaleService extends ExposureComponent {
  /** The props with every default applied. */
  readonly props: ResolvedTailscaleServiceProps;
  /** The companion Service the operator reads. */
  readonly resource: k8s.core.v1.Service;

  constructor(name: string, args: TailscaleServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('TailscaleService', '', name);
    const { tailnet: tailnetArg, service, ...props } = argsObject(path, args);
    checkShape(path, service, SERVICE_TO_EXPOSE_SHAPE, 'service');
    const resolved = resolveTailscaleServiceProps(path, props, {
      name: service.name,
      namespace: service.namespace ?? 'default',
      annotatable: false,
      hasSelector: service.resource !== undefined,
    });
    const tailnet = tailnetFor(path, tailnetArg);
    tailnet.register(tailscaleServiceRequirements(path, resolved));
    super('tailkube:index:TailscaleService', name, opts, {
      target: tailscaleServiceExposure(path, resolved),
      identity: resolved.service,
      tailnet,
    });
    this.props = resolved;
    // `annotate` is refused for a resource, so there is always a companion.
    const { apiVersion, kind, metadata, spec } = renderTailscaleService(resolved)! as {
      readonly apiVersion: string;
      readonly kind: string;
      readonly metadata: k8s.types.input.meta.v1.ObjectMeta;
      readonly spec: k8s.types.input.core.v1.ServiceSpec;
    };
    const target = service.resource;
    this.resource = new k8s.core.v1.Service(
      name,
      {
        apiVersion: apiVersion as 'v1',
        kind: kind as 'Service',
        metadata,
        spec: target
          ? {
              ...spec,
              selector: target.spec.selector,
              ports: target.spec.ports.apply((known) => sameTargets(resolved.ports, known)),
            }
          : spec,
      },
      {
        parent: this,
        ...(target && { dependsOn: [target] }),
        // The operator ignores a change of tags on an existing proxy.
        replaceOnChanges: [...REPLACE_ON_CHANGES.TagsAnnotation],
      },
    );
    this.registerOutputs({ hostname: this.hostname, tags: this.tags });
  }
}

/** The exposed ports with the target Service's own target ports and names, so the same pods answer. */
function sameTargets(
  ports: readonly TailscaleServicePort[],
  known: readonly k8s.types.output.core.v1.ServicePort[] | undefined,
): k8s.types.input.core.v1.ServicePort[] {
  return ports.map((port) => {
    const protocol = port.protocol ?? 'TCP';
    const match = known?.find((k) => k.port === port.port && (k.protocol ?? 'TCP') === protocol);
    const name = port.name ?? match?.name;
    return {
      ...(name !== undefined && { name }),
      port: port.port,
      protocol,
      targetPort: port.targetPort ?? match?.targetPort ?? port.port,
    };
  });
}
