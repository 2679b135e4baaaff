import { MANAGED_BY_LABELS } from './kube-object';
import type { KubeObject } from './kube-object';
import { DEFAULT_CLUSTER_DOMAIN } from '../props/common';
import type { TailscaleServicePort } from '../props/tailscale-service';
import type { ResolvedTailscaleServiceProps } from '../validate/tailscale-service';

/** Annotations and labels the operator reads on a Service (`cmd/k8s-operator`), by their names there. */
export const SERVICE_ANNOTATIONS = {
  /** `"true"` exposes a Service with a cluster IP, or an ExternalName Service, to the tailnet. */
  expose: 'tailscale.com/expose',
  /** The device hostname, or the Tailscale Service name on a ProxyGroup. */
  hostname: 'tailscale.com/hostname',
  /** Comma-separated tags of the device, or of the Tailscale Service on a ProxyGroup. */
  tags: 'tailscale.com/tags',
  /** The ingress ProxyGroup that serves the Service. */
  proxyGroup: 'tailscale.com/proxy-group',
  /** The ProxyClass of a standalone proxy; the operator reads it as a label first. */
  proxyClass: 'tailscale.com/proxy-class',
} as const;

/** The `loadBalancerClass` the operator serves. */
export const TAILSCALE_LOAD_BALANCER_CLASS = 'tailscale';

/** What tailkube puts on the Service the operator reads: the annotated one or the companion. */
export interface TailscaleServiceMetadata {
  readonly annotations: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The annotations and labels that expose the Service as `props` says: for `annotate`, to add to
 * the user's own Service. Hostname and tags are always rendered, so the policy derived from them
 * holds whatever defaults the operator is configured with.
 */
export function tailscaleServiceMetadata(props: ResolvedTailscaleServiceProps): TailscaleServiceMetadata {
  return {
    annotations: {
      // A LoadBalancer of class `tailscale` (the companion, or the user's own) is exposed by its
      // type and class (`isTailscaleLoadBalancerService` in cmd/k8s-operator/svc.go at v1.102.3);
      // the others need the annotation.
      ...(!exposedByClass(props) && { [SERVICE_ANNOTATIONS.expose]: 'true' }),
      [SERVICE_ANNOTATIONS.hostname]: props.hostname,
      ...(props.proxyGroup && { [SERVICE_ANNOTATIONS.proxyGroup]: props.proxyGroup.name }),
      [SERVICE_ANNOTATIONS.tags]: props.tags.join(','),
    },
    labels: props.proxyClass ? { [SERVICE_ANNOTATIONS.proxyClass]: props.proxyClass.name } : {},
  };
}

/** Whether the operator exposes the Service by its `LoadBalancer` type and `tailscale` class. */
function exposedByClass(props: ResolvedTailscaleServiceProps): boolean {
  if (props.mechanism === 'load-balancer') return true;
  return (
    props.mechanism === 'annotate' &&
    props.service.type === 'LoadBalancer' &&
    props.service.loadBalancerClass === TAILSCALE_LOAD_BALANCER_CLASS
  );
}

/**
 * The companion Service tailkube creates: a `LoadBalancer` of class `tailscale` selecting the
 * target's pods, or an `ExternalName` pointing at the target's cluster DNS name. `undefined` for
 * `annotate`, which adds {@link tailscaleServiceMetadata} to the user's Service instead. A
 * `load-balancer` companion whose selector the framework resolves later has no `selector` here.
 */
export function renderTailscaleService(props: ResolvedTailscaleServiceProps): KubeObject | undefined {
  if (props.mechanism === 'annotate') return undefined;
  const meta = tailscaleServiceMetadata(props);
  const metadata = {
    name: props.name,
    namespace: props.service.namespace,
    labels: { ...MANAGED_BY_LABELS, ...meta.labels },
    annotations: meta.annotations,
  };
  if (props.mechanism === 'external-name') {
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: { type: 'ExternalName', externalName: clusterDnsName(props) },
    };
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      type: 'LoadBalancer',
      loadBalancerClass: TAILSCALE_LOAD_BALANCER_CLASS,
      ...(props.service.selector && { selector: { ...props.service.selector } }),
      ports: props.ports.map(companionPort),
    },
  };
}

/** The target's cluster DNS name, `<name>.<namespace>.svc.cluster.local`. */
export function clusterDnsName(props: ResolvedTailscaleServiceProps): string {
  return `${props.service.name}.${props.service.namespace}.svc.${DEFAULT_CLUSTER_DOMAIN}`;
}

function companionPort(port: TailscaleServicePort): Record<string, unknown> {
  return {
    ...(port.name !== undefined && { name: port.name }),
    port: port.port,
    protocol: port.protocol ?? 'TCP',
    targetPort: port.targetPort ?? port.port,
  };
}
