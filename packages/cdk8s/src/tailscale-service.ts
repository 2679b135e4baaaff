import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  SERVICE_TO_EXPOSE_SHAPE,
  argsObject,
  checkShape,
  renderTailscaleService,
  resolveTailscaleServiceProps,
  tailscaleServiceExposure,
  tailscaleServiceMetadata,
  tailscaleServiceRequirements,
  ValidationError,
  type ExposedServiceSpec,
  type ResolvedTailscaleServiceProps,
  type ServiceReference,
  type TailscaleServicePort,
  type TailscaleServiceProps as CoreTailscaleServiceProps,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { ExposureConstruct } from './private/exposure';
import { pathOf } from './private/path';
import { renderedSpec } from './private/rendered-spec';
import { Tailnet } from './tailnet';

/**
 * The Service to expose: a Service object the program owns (a cdk8s `ApiObject`, or a cdk8s-plus
 * `Service` through its `apiObject`), or one known only by name.
 */
export type ServiceToExpose = ApiObject | { readonly apiObject: ApiObject } | ServiceReference;

/** Props of the cdk8s {@link TailscaleService}. */
export interface TailscaleServiceProps extends CoreTailscaleServiceProps {
  /**
   * The Service to expose. An object the program owns is annotated (or, with
   * `mechanism: 'load-balancer'`, gets a companion selecting its pods); one known only by name
   * gets an `ExternalName` companion. Read when the construct is created: add its ports first.
   */
  readonly service: ServiceToExpose;
}

/**
 * Exposes a Kubernetes Service to the tailnet (L3), standalone or on an ingress ProxyGroup:
 * annotates the program's own Service, or creates a companion `LoadBalancer` (class `tailscale`)
 * or `ExternalName` Service.
 *
 * Tailnet side, registered with the app's {@link Tailnet}: its tags owned by the operator's tag,
 * its hostname unique in the program; on a ProxyGroup, `svc:<hostname>` approved for the group's
 * tags and the `services` OAuth scope. {@link TailscaleService.allow} says who may reach it.
 *
 * @see https://tailscale.com/kb/1439/kubernetes-operator-cluster-ingress
 */
export class TailscaleService extends ExposureConstruct {
  /** The props with every default applied. */
  readonly props: ResolvedTailscaleServiceProps;
  /**
   * The Service the operator reads: the user's own (`annotate`) or the companion tailkube creates.
   */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: TailscaleServiceProps) {
    const path = pathOf('TailscaleService', scope, id);
    const { service, ...rest } = argsObject(path, props);
    checkShape(path, service, SERVICE_TO_EXPOSE_SHAPE, 'service');
    const target = describeService(path, scope, service);
    const resolved = resolveTailscaleServiceProps(path, rest, target.spec);
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(tailscaleServiceRequirements(path, resolved));
    super(scope, id, tailscaleServiceExposure(path, resolved), resolved.service);
    this.props = resolved;
    const companion = renderTailscaleService(resolved);
    if (companion) {
      this.apiObject = toApiObject(this, 'Resource', companion);
    } else {
      // `annotate`: resolution guarantees the program owns the object.
      this.apiObject = target.apiObject!;
      const meta = tailscaleServiceMetadata(resolved);
      for (const [key, value] of Object.entries(meta.annotations))
        this.apiObject.metadata.addAnnotation(key, value);
      for (const [key, value] of Object.entries(meta.labels)) this.apiObject.metadata.addLabel(key, value);
    }
  }
}

interface DescribedService {
  readonly spec: ExposedServiceSpec;
  readonly apiObject?: ApiObject;
}

/** What core needs to know about the Service to expose, read from the object or the name. */
function describeService(path: string, scope: Construct, service: ServiceToExpose): DescribedService {
  const apiObject = ApiObject.isApiObject(service)
    ? service
    : 'apiObject' in service && ApiObject.isApiObject(service.apiObject)
      ? service.apiObject
      : undefined;
  if (apiObject === undefined) {
    const named = service as ServiceReference;
    return {
      spec: {
        name: named.name,
        namespace: named.namespace ?? Chart.of(scope).namespace ?? 'default',
        annotatable: false,
        hasSelector: false,
      },
    };
  }
  if (apiObject.kind !== 'Service') {
    throw new ValidationError({
      path,
      field: 'service',
      value: `${apiObject.kind} ${apiObject.name}`,
      allowed: 'a Service object, or a Service name',
    });
  }
  const spec = (renderedSpec(apiObject) as ServiceSpec | undefined) ?? {};
  return {
    apiObject,
    spec: {
      name: apiObject.name,
      namespace: apiObject.metadata.namespace ?? 'default',
      annotatable: true,
      hasSelector: spec.selector !== undefined && Object.keys(spec.selector).length > 0,
      ...(spec.selector && { selector: spec.selector }),
      ...(spec.type !== undefined && { type: spec.type }),
      ...(spec.loadBalancerClass !== undefined && { loadBalancerClass: spec.loadBalancerClass }),
      ...(spec.clusterIP !== undefined && { clusterIP: spec.clusterIP }),
      ...(spec.ports && { ports: spec.ports.map(servicePort) }),
    },
  };
}

/** The fields of a Service's rendered spec that tailkube reads. */
interface ServiceSpec {
  readonly type?: string;
  readonly loadBalancerClass?: string;
  readonly clusterIP?: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports?: readonly {
    readonly port: number;
    readonly name?: string;
    readonly protocol?: TailscaleServicePort['protocol'];
    readonly targetPort?: number | string;
  }[];
}

function servicePort(port: NonNullable<ServiceSpec['ports']>[number]): TailscaleServicePort {
  return {
    port: port.port,
    ...(port.name !== undefined && { name: port.name }),
    ...(port.protocol !== undefined && { protocol: port.protocol }),
    ...(port.targetPort !== undefined && { targetPort: port.targetPort }),
  };
}
