import type { ResolvedFunnelIngressProps } from '../validate/funnel-ingress';
import { renderIngress } from './ingress';
import type { KubeObject } from './kube-object';

/** The annotation that opens an Ingress's proxy to the internet. */
export const FUNNEL_ANNOTATION = 'tailscale.com/funnel';
/** The Ingress object, with `tailscale.com/funnel: "true"`. */
export function renderFunnelIngress(props: ResolvedFunnelIngressProps): KubeObject {
  return renderIngress(props, { [FUNNEL_ANNOTATION]: 'true' });
}
