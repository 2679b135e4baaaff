import { redactSecrets } from '@tailkube/policy';
import { DEFAULT_PROXY_TAGS, type IProxyGroup } from '../props/common';
import type { TailscaleIngressProps } from '../props/tailscale-ingress';
import {
  INGRESS_BASE_RULES,
  httpsBackendWarnings,
  resolveIngressBase,
  type IngressDefaults,
  type ResolvedIngressBaseProps,
} from './ingress';
import { validateProps, type Rule } from './rules';
import { checkObjectName } from './scalars';
import { TAILSCALE_INGRESS_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';
import { withFields } from './with-fields';

/** {@link TailscaleIngressProps} with every default applied. */
export interface ResolvedTailscaleIngressProps extends ResolvedIngressBaseProps {
  readonly proxyGroup?: IProxyGroup<'ingress'>;
  readonly httpEndpoint: boolean;
}

/**
 * Applies defaults to a Tailscale Ingress's props and checks them, throwing the first
 * {@link ValidationError} for `path`. `defaults` holds the name and namespace the flavor knows.
 */
export function resolveTailscaleIngressProps(
  path: string,
  defaults: IngressDefaults,
  given: TailscaleIngressProps,
): ResolvedTailscaleIngressProps {
  const props = checkedProps(path, given, TAILSCALE_INGRESS_SHAPE);
  const resolved: ResolvedTailscaleIngressProps = withFields(
    resolveIngressBase(props, defaults, DEFAULT_PROXY_TAGS),
    { httpEndpoint: props.httpEndpoint ?? false },
  );
  validateProps(path, resolved, TAILSCALE_INGRESS_RULES);
  return resolved;
}

/**
 * What the operator would do without failing but the program should know: backends proxied as
 * HTTPS without certificate verification (port 443 or a port named `https`).
 */
export function tailscaleIngressWarnings(path: string, props: TailscaleIngressProps): string[] {
  return httpsBackendWarnings(path, props).map(redactSecrets);
}

const TAILSCALE_INGRESS_RULES: readonly Rule<ResolvedTailscaleIngressProps>[] = [
  ...INGRESS_BASE_RULES,
  (p) => {
    const group = p.proxyGroup;
    if (!group) return undefined;
    const type: string = group.proxyGroupType;
    if (type !== 'ingress') {
      return {
        field: 'proxyGroup',
        value: group.name,
        allowed: 'a ProxyGroup of type "ingress"',
        hint: `"${group.name}" is of type "${type}"; the operator refuses an Ingress on it`,
      };
    }
    return checkObjectName(group.name, 'proxyGroup.name');
  },
  (p) =>
    p.proxyGroup && p.proxyClass
      ? {
          field: 'proxyClass',
          value: p.proxyClass.name,
          allowed: 'absent when `proxyGroup` is set',
          hint: "the ProxyGroup's pods serve the Ingress, so the group's ProxyClass applies; the operator ignores one on the Ingress",
        }
      : undefined,
  (p) =>
    p.httpEndpoint && !p.proxyGroup
      ? {
          field: 'httpEndpoint',
          value: true,
          allowed: 'false unless `proxyGroup` is set',
          hint: 'a standalone proxy serves HTTPS only; set `httpRedirect` to answer port 80 with a redirect',
        }
      : undefined,
  (p) =>
    p.httpEndpoint && p.httpRedirect
      ? {
          field: 'httpRedirect',
          value: true,
          allowed: 'false when `httpEndpoint` is set',
          hint: 'port 80 either serves the backends or redirects; the operator ignores the redirect',
        }
      : undefined,
];
