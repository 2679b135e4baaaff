import type { NodeAttr } from '@tailkube/policy';
import { compareStrings } from '@tailkube/policy/internal';
import { ingressPorts } from '../render/ingress';
import type { ResolvedFunnelIngressProps } from '../validate/funnel-ingress';
import { ingressHostname } from '../validate/ingress';
import { exposureRequirements, type ExposureTarget } from './exposure';
import type { TailnetRequirements } from './requirements';
import { backendUses } from './exposure';
import { withFields } from '../validate/with-fields';

/** The node attribute that lets a device serve Funnel. */
export const FUNNEL_ATTRIBUTE = 'funnel';

/** The Funnel proxy as the tailnet sees it: a device with its tags, on 443 (and 80 with a redirect). */
export function funnelIngressTarget(source: string, props: ResolvedFunnelIngressProps): ExposureTarget {
  return {
    source,
    hostname: ingressHostname(props),
    tags: props.tags,
    ports: ingressPorts(props.httpRedirect),
    object: { kind: 'Ingress', namespace: props.namespace },
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
  return withFields(exposureRequirements(funnelIngressTarget(source, props)), {
    nodeAttrs: [funnelNodeAttr(props.tags)],
    backends: backendUses(props),
  });
}

/** `funnel` for exactly `tags`: devices without one of them cannot serve Funnel. */
function funnelNodeAttr(tags: readonly string[]): NodeAttr {
  return { target: [...tags].sort(compareStrings), attr: [FUNNEL_ATTRIBUTE] };
}
