import { compareStrings } from '@tailkube/policy/internal';
import type { NodeAttr } from '@tailkube/policy';
import type { TailnetRequirements } from '../policy/requirements';
import type { ResolvedFunnelIngressProps } from '../validate/funnel-ingress';
import { ingressHostname } from '../validate/ingress';
import {
  exposureAccess,
  exposureRequirements,
  type ExposureAccess,
  type ExposureAllowOptions,
  type ExposureTarget,
} from './exposure';
import { ingressPorts, renderIngress } from './ingress';
import type { KubeObject } from './kube-object';

/** The annotation that opens an Ingress's proxy to the internet. */
export const FUNNEL_ANNOTATION = 'tailscale.com/funnel';
/** The node attribute that lets a device serve Funnel. */
export const FUNNEL_ATTRIBUTE = 'funnel';

/** The Ingress object, with `tailscale.com/funnel: "true"`. */
export function renderFunnelIngress(props: ResolvedFunnelIngressProps): KubeObject {
  return renderIngress(props, { [FUNNEL_ANNOTATION]: 'true' });
}

/** The Funnel proxy as the tailnet sees it: a device with its tags, on 443 (and 80 with a redirect). */
export function funnelIngressTarget(source: string, props: ResolvedFunnelIngressProps): ExposureTarget {
  return {
    source,
    hostname: ingressHostname(props),
    tags: props.tags,
    ports: ingressPorts(props.httpRedirect),
  };
}

/**
 * What a Funnel Ingress needs from the tailnet: its tags owned by the operator's, its hostname
 * unique in the program, and the `funnel` node attribute for exactly its tags.
 */
export function funnelIngressRequirements(
  source: string,
  props: ResolvedFunnelIngressProps,
): TailnetRequirements {
  return {
    ...exposureRequirements(funnelIngressTarget(source, props)),
    nodeAttrs: [funnelNodeAttr(props.tags)],
  };
}

/** `funnel` for exactly `tags`: devices without one of them cannot serve Funnel. */
function funnelNodeAttr(tags: readonly string[]): NodeAttr {
  return { target: [...tags].sort(compareStrings), attr: [FUNNEL_ATTRIBUTE] };
}

/**
 * The grant that lets `principals` on the tailnet reach the Funnel proxy (its tags, on its ports)
 * and the access it is checked against offline. The internet needs no grant.
 */
export function funnelIngressAccess(
  source: string,
  props: ResolvedFunnelIngressProps,
  principals: readonly string[],
  options: ExposureAllowOptions = {},
): ExposureAccess {
  return exposureAccess(funnelIngressTarget(source, props), principals, options);
}
