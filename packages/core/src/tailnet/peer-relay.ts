import type { Grant } from '@tailkube/policy';
import { compareStrings } from '@tailkube/policy/internal';
import { readPrincipals, type Allowance } from '../access';
import { PEER_RELAY_CAPABILITY } from '../props/peer-relay';
import type { ResolvedPeerRelayProps } from '../validate/peer-relay';
import { tailnetPlacement } from './operator-tailnet';
import type { Claim, TailnetRequirements } from './requirements';

/**
 * The hostnames of a PeerRelay's devices: `<hostnamePrefix or name>-<i>` per replica
 * (`reconciler/peerrelay/statefulset.go`, `peerRelayHostname`).
 */
export function peerRelayHostnames(props: ResolvedPeerRelayProps): string[] {
  const prefix = props.hostnamePrefix ?? props.name;
  return Array.from({ length: props.replicas }, (_, i) => `${prefix}-${i}`);
}

/**
 * What a PeerRelay needs from the tailnet: its tags owned by the operator's, its hostnames. Who
 * may use it comes from {@link peerRelayAllowance}: a relay nobody is granted relays nothing.
 */
export function peerRelayRequirements(source: string, props: ResolvedPeerRelayProps): TailnetRequirements {
  return {
    source,
    ...tailnetPlacement(props.operatorTailnet),
    proxyTags: props.tags,
    claims: [
      { kind: 'cluster-object', field: 'name', objectKind: 'PeerRelay', name: props.name },
      ...peerRelayHostnames(props).map((hostname): Claim => ({ kind: 'hostname', field: 'name', hostname })),
    ],
  };
}

/** What one `PeerRelay.allow` call registers, and what it returns. */
export interface PeerRelayAllowance {
  readonly allowance: Allowance;
  readonly requirements: TailnetRequirements;
}

/**
 * Lets `principals` relay through the PeerRelay: a grant from them to its tags with the
 * `tailscale.com/cap/relay` application capability and no network access (the relay's UDP
 * endpoint is outside the tailnet). Throws a {@link ValidationError} for `source` on a bad
 * principal, or one on another tailnet.
 *
 * @see https://tailscale.com/docs/kubernetes-operator/peer-relay
 */
export function peerRelayAllowance(
  source: string,
  props: ResolvedPeerRelayProps,
  principals: unknown,
): PeerRelayAllowance {
  const placement = tailnetPlacement(props.operatorTailnet);
  const src = readPrincipals(source, principals, 'principals', placement.tailnet);
  const grants: Grant[] = [
    { src, dst: [...props.tags].sort(compareStrings), app: { [PEER_RELAY_CAPABILITY]: [] } },
  ];
  return { allowance: { principals: src, grants }, requirements: { source, ...placement, grants } };
}
