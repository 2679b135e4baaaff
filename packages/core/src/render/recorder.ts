import { tailnetName } from '../props/operator-tailnet';
import type { RecorderPod, RecorderStatefulSet } from '../props/recorder';
import type { ResolvedRecorderProps } from '../validate/recorder';
import { TAILSCALE_API_VERSION } from './kube-object';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';
import { prune } from './tailscale-operator';

/**
 * The Recorder object: cluster-scoped, so no namespace. Tags and replicas are always rendered, so
 * the devices get the tags the policy owns whatever the operator's defaults.
 */
export function renderRecorder(props: ResolvedRecorderProps): KubeObject {
  const s3 = props.storage?.s3;
  return {
    apiVersion: TAILSCALE_API_VERSION,
    kind: 'Recorder',
    metadata: { name: props.name, labels: { ...MANAGED_BY_LABELS } },
    spec: prune({
      enableUI: props.enableUI || undefined,
      replicas: props.replicas,
      tags: [...props.tags],
      storage: s3 && {
        s3: prune({
          endpoint: s3.endpoint,
          bucket: s3.bucket,
          credentials: s3.credentialsSecret && { secret: { name: s3.credentialsSecret.name } },
        }),
      },
      statefulSet: props.statefulSet && renderStatefulSet(props.statefulSet),
      tailnet: props.operatorTailnet === undefined ? undefined : tailnetName(props.operatorTailnet),
    }),
  };
}

function renderStatefulSet(sts: RecorderStatefulSet): Record<string, unknown> {
  return prune({ labels: sts.labels, annotations: sts.annotations, pod: sts.pod && renderPod(sts.pod) });
}

function renderPod(pod: RecorderPod): Record<string, unknown> {
  const container = pod.container;
  return prune({
    labels: pod.labels,
    annotations: pod.annotations,
    affinity: pod.affinity,
    nodeSelector: pod.nodeSelector,
    tolerations: pod.tolerations,
    imagePullSecrets: pod.imagePullSecrets?.map((name) => ({ name })),
    securityContext: pod.securityContext,
    container:
      container &&
      prune({
        env: container.env,
        image: container.image,
        imagePullPolicy: container.imagePullPolicy,
        resources: container.resources,
        securityContext: container.securityContext,
      }),
    serviceAccount: pod.serviceAccount && prune({ ...pod.serviceAccount }),
  });
}
