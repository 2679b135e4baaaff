import { tailnetName } from '../props/operator-tailnet';
import type { ResolvedPeerRelayProps } from '../validate/peer-relay';
import { TAILSCALE_API_VERSION } from './kube-object';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';
import { prune } from './tailscale-operator';

/**
 * The PeerRelay object: cluster-scoped, so no namespace. Tags and replicas are always rendered, so
 * the devices get the tags the grants name whatever the operator's defaults.
 */
export function renderPeerRelay(props: ResolvedPeerRelayProps): KubeObject {
  return {
    apiVersion: TAILSCALE_API_VERSION,
    kind: 'PeerRelay',
    metadata: { name: props.name, labels: { ...MANAGED_BY_LABELS } },
    spec: prune({
      replicas: props.replicas,
      hostnamePrefix: props.hostnamePrefix,
      tags: [...props.tags],
      proxyClass: props.proxyClass?.name,
      service: props.service?.annotations && { annotations: { ...props.service.annotations } },
      aws: props.aws && {
        elasticIPs: props.aws.elasticIPs.map((eip) => ({
          allocationID: eip.allocationID,
          subnetID: eip.subnetID,
        })),
      },
      tailnet: props.operatorTailnet === undefined ? undefined : tailnetName(props.operatorTailnet),
    }),
  };
}
