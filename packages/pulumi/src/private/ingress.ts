import type * as pulumi from '@pulumi/pulumi';
import type * as k8s from '@pulumi/kubernetes';
import type { KubeObject } from '@tailkube/core/internal';

/** A core-rendered Ingress as the arguments of `k8s.networking.v1.Ingress`. */
export function ingressArgs(object: KubeObject): k8s.networking.v1.IngressArgs {
  const { apiVersion, kind, metadata, spec } = object;
  return {
    apiVersion: apiVersion as 'networking.k8s.io/v1',
    kind: kind as 'Ingress',
    metadata: { ...metadata },
    spec: spec as k8s.types.input.networking.v1.IngressSpec,
  };
}

/**
 * `https://<MagicDNS name>` from an Ingress's status: the entry with a hostname (the operator may
 * list the device's IP first). `undefined` until the operator has set it.
 */
export function ingressUrl(ingress: k8s.networking.v1.Ingress): pulumi.Output<string | undefined> {
  return ingress.status.apply((status) => {
    const hostname = status?.loadBalancer?.ingress?.find((entry) => entry.hostname)?.hostname;
    return hostname ? `https://${hostname}` : undefined;
  });
}
