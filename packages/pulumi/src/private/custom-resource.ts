import type * as k8s from '@pulumi/kubernetes';
import type { KubeObject } from '@tailkube/core/internal';

/** A core-rendered custom resource as the arguments of `k8s.apiextensions.CustomResource`. */
export function customResourceArgs(object: KubeObject): k8s.apiextensions.CustomResourceArgs {
  const { apiVersion, kind, metadata, ...rest } = object;
  return { ...rest, apiVersion, kind, metadata: { ...metadata } };
}
