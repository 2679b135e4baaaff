import { sortedRecord } from '@tailkube/policy/internal';
import type { IngressBackend } from '../props/ingress';
import type { ResolvedIngressBaseProps } from '../validate/ingress';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';

/** The annotation naming the tags of the proxy (or of the Tailscale Service on a ProxyGroup). */
export const TAGS_ANNOTATION = 'tailscale.com/tags';
/** The annotation that opens port 80 with a redirect to HTTPS. */
export const HTTP_REDIRECT_ANNOTATION = 'tailscale.com/http-redirect';
/** The label (or annotation) naming the ProxyClass of a Service's or Ingress's proxy. */
export const PROXY_CLASS_LABEL = 'tailscale.com/proxy-class';

/** The HTTPS port every Ingress the operator serves listens on. */
const INGRESS_HTTPS_PORT = 443;
/** The port of the HTTP redirect or HTTP endpoint. */
const INGRESS_HTTP_PORT = 80;

/**
 * The `networking.k8s.io/v1` Ingress the operator serves: its class, a TLS host only when a
 * hostname is set (else the operator's default applies), `Prefix` paths without a host (so every
 * rule applies to the one hostname), and the operator's annotations, sorted.
 */
export function renderIngress(
  props: ResolvedIngressBaseProps,
  annotations: Readonly<Record<string, string>>,
): KubeObject {
  const paths = props.paths ?? [];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: props.name,
      namespace: props.namespace,
      labels: {
        ...MANAGED_BY_LABELS,
        ...(props.proxyClass && { [PROXY_CLASS_LABEL]: props.proxyClass.name }),
      },
      annotations: sortedRecord({
        ...annotations,
        [TAGS_ANNOTATION]: props.tags.join(','),
        ...(props.httpRedirect && { [HTTP_REDIRECT_ANNOTATION]: 'true' }),
      }),
    },
    spec: {
      ingressClassName: props.ingressClassName,
      ...(props.defaultBackend && { defaultBackend: renderBackend(props.defaultBackend) }),
      ...(paths.length > 0 && {
        rules: [
          {
            http: {
              paths: paths.map((item) => ({
                path: item.path,
                pathType: item.pathType ?? 'Prefix',
                backend: renderBackend(item.backend),
              })),
            },
          },
        ],
      }),
      ...(props.hostname !== undefined && { tls: [{ hosts: [props.hostname] }] }),
    },
  };
}

/** The ports tailnet clients reach the Ingress on: 443, and 80 when it answers HTTP. */
export function ingressPorts(http: boolean): { readonly port: number }[] {
  return [{ port: INGRESS_HTTPS_PORT }, ...(http ? [{ port: INGRESS_HTTP_PORT }] : [])];
}

function renderBackend(backend: IngressBackend): Record<string, unknown> {
  const port = typeof backend.port === 'number' ? { number: backend.port } : { name: backend.port };
  return { service: { name: backend.serviceName, port } };
}

/**
 * Whether a change of tags needs the Ingress re-created. A standalone proxy keeps the tags its
 * device joined with (the operator does not retag it); on a ProxyGroup the operator updates the
 * Tailscale Service's tags in place.
 */
export function ingressTagsNeedNewProxy(props: { readonly proxyGroup?: unknown }): boolean {
  return props.proxyGroup === undefined;
}
