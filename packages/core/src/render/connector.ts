import { tailnetName } from '../props/operator-tailnet';
import type { ResolvedConnectorProps } from '../validate/connector';
import { MANAGED_BY_LABELS, TAILSCALE_API_VERSION, type KubeObject } from './kube-object';

/**
 * The Connector object: cluster-scoped, so no namespace. Tags are always rendered, so the device's
 * tags are the ones the policy approves.
 */
export function renderConnector(props: ResolvedConnectorProps): KubeObject {
  return {
    apiVersion: TAILSCALE_API_VERSION,
    kind: 'Connector',
    metadata: { name: props.name, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      ...(props.subnetRouter && {
        subnetRouter: { advertiseRoutes: [...props.subnetRouter.advertiseRoutes] },
      }),
      ...(props.exitNode && { exitNode: true }),
      ...(props.appConnector && {
        appConnector: props.appConnector.routes ? { routes: [...props.appConnector.routes] } : {},
      }),
      ...(props.hostname !== undefined && { hostname: props.hostname }),
      ...(props.hostnamePrefix !== undefined && { hostnamePrefix: props.hostnamePrefix }),
      ...(props.replicas !== undefined && { replicas: props.replicas }),
      tags: [...props.tags],
      ...(props.proxyClass && { proxyClass: props.proxyClass.name }),
      ...(props.operatorTailnet !== undefined && { tailnet: tailnetName(props.operatorTailnet) }),
    },
  };
}
