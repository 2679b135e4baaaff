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
  type ExposedServiceSpec,
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
    const exposed = {
      name: service.name,
      namespace: service.namespace ?? 'default',
      annotatable: false,
      hasSelector: service.resource !== undefined,
    };
    const resolved = resolveTailscaleServiceProps(path, props, exposed);
    const tailnet = tailnetFor(path, tailnetArg);
    // `annotate` is refused for a resource, so there is always a companion.
    const companion = renderTailscaleService(resolved)!;
    tailnet._claimObjects(path, [companion]);
    tailnet.register(tailscaleServiceRequirements(path, resolved));
    super('tailkube:index:TailscaleService', name, opts, {
      target: tailscaleServiceExposure(path, resolved),
      identity: resolved.service,
      tailnet,
    });
    this.props = resolved;
    const { apiVersion, kind, metadata, spec } = companion as {
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
        // Once the target's selector and ports are known, core checks the ports against them (as
        // it does at once in cdk8s) and renders the companion's: the same pods, target ports, names.
        // One `apply` on the whole spec: lifting `selector` and `ports` and joining them with `all`
        // would make four Outputs per construct for the same dependencies and secrecy.
        spec: target
          ? target.spec.apply((targetSpec) =>
              companionSpec(path, props, {
                ...exposed,
                selector: targetSpec?.selector,
                known: targetSpec?.ports,
              }),
            )
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

/**
 * The companion's spec for the target Service as it resolved: core's checks and rendering, with the
 * target's selector and ports as plain data. Throws the same {@link ValidationError} as cdk8s.
 */
function companionSpec(
  path: string,
  props: TailscaleServiceProps,
  target: ExposedServiceSpec & {
    readonly selector: Readonly<Record<string, string>> | undefined;
    readonly known: readonly k8s.types.output.core.v1.ServicePort[] | undefined;
  },
): k8s.types.input.core.v1.ServiceSpec {
  const { selector, known, ...exposed } = target;
  const resolved = resolveTailscaleServiceProps(path, props, {
    ...exposed,
    ...(selector && { selector }),
    ports: (known ?? []).map((port) => ({
      port: port.port,
      ...(port.name && { name: port.name }),
      ...(port.protocol && { protocol: port.protocol as NonNullable<TailscaleServicePort['protocol']> }),
      ...(port.targetPort !== undefined && { targetPort: port.targetPort }),
    })),
  });
  return renderTailscaleService(resolved)!['spec'] as k8s.types.input.core.v1.ServiceSpec;
}
