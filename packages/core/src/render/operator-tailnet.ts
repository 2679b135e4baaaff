import type { ResolvedOperatorTailnetProps } from '../validate/operator-tailnet';
import { TAILSCALE_API_VERSION } from './kube-object';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';

/** The `Tailnet` object: cluster-scoped, so no namespace; only the Secret's name is rendered. */
export function renderOperatorTailnet(props: ResolvedOperatorTailnetProps): KubeObject {
  return {
    apiVersion: TAILSCALE_API_VERSION,
    kind: 'Tailnet',
    metadata: { name: props.name, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      credentials: { secretName: props.credentials.secretName },
      ...(props.loginUrl !== undefined && { loginUrl: props.loginUrl }),
    },
  };
}
