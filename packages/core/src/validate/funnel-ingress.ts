import { redactSecrets } from '@tailkube/policy';
import { DEFAULT_PROXY_TAGS } from '../props/common';
import { DEFAULT_FUNNEL_TAGS, FUNNEL_PORTS, type FunnelIngressProps } from '../props/funnel-ingress';
import {
  INGRESS_BASE_RULES,
  httpsBackendWarnings,
  resolveIngressBase,
  type IngressDefaults,
  type ResolvedIngressBaseProps,
} from './ingress';
import { validateProps, type Rule } from './rules';
import { FUNNEL_INGRESS_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';

/** {@link FunnelIngressProps} with every default applied. */
export interface ResolvedFunnelIngressProps extends ResolvedIngressBaseProps {
  readonly public: true;
}

/**
 * Applies defaults to a Funnel Ingress's props and checks them, throwing the first
 * {@link ValidationError} for `path`. Nothing is resolved unless `public` is `true`.
 */
export function resolveFunnelIngressProps(
  path: string,
  defaults: IngressDefaults,
  given: FunnelIngressProps,
): ResolvedFunnelIngressProps {
  const props = checkedProps(path, given, FUNNEL_INGRESS_SHAPE);
  const resolved: ResolvedFunnelIngressProps = resolveIngressBase(props, defaults, DEFAULT_FUNNEL_TAGS);
  validateProps(path, resolved, FUNNEL_INGRESS_RULES);
  return resolved;
}

/**
 * What the operator would do without failing but the program should know: an HTTP redirect no one
 * on the internet reaches, `funnel` given to the operator's ordinary proxy tag, and backends
 * proxied as HTTPS without certificate verification.
 */
export function funnelIngressWarnings(path: string, props: FunnelIngressProps): string[] {
  const warnings: string[] = [];
  if (props.httpRedirect) {
    warnings.push(
      `${path}: \`httpRedirect\` listens on port 80, which Funnel does not open to the internet ` +
        `(Funnel ports: ${FUNNEL_PORTS.join(', ')}); the redirect answers tailnet clients only`,
    );
  }
  for (const tag of props.tags ?? []) {
    if (DEFAULT_PROXY_TAGS.includes(tag)) {
      warnings.push(
        `${path}: \`tags\` holds ${JSON.stringify(tag)}, the operator's default proxy tag; the \`funnel\` ` +
          'attribute then reaches every proxy with that tag, not only this one',
      );
    }
  }
  return [...warnings, ...httpsBackendWarnings(path, props)].map(redactSecrets);
}

const FUNNEL_INGRESS_RULES: readonly Rule<ResolvedFunnelIngressProps>[] = [
  (p) => {
    const optIn: unknown = p.public;
    return optIn === true
      ? undefined
      : {
          field: 'public',
          value: optIn,
          allowed: 'true: a Funnel Ingress is reachable by anyone on the internet, and says so',
          hint: 'use a TailscaleIngress for HTTPS on the tailnet only',
        };
  },
  (p) => {
    const group: unknown = (p as { readonly proxyGroup?: unknown }).proxyGroup;
    return group === undefined
      ? undefined
      : {
          field: 'proxyGroup',
          value: (group as { readonly name?: unknown }).name ?? group,
          allowed: 'absent',
          hint: 'the operator serves Funnel from a standalone proxy only: an Ingress on a ProxyGroup ignores `tailscale.com/funnel`',
        };
  },
  ...INGRESS_BASE_RULES,
];
