import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import type { Construct } from 'constructs';
import type { KubeObject } from '@tailkube/core/internal';

/**
 * Wraps a core-rendered object in an `ApiObject`. Cluster-scoped objects (no namespace in core's
 * rendering) stay cluster-scoped even in a chart that stamps a namespace on everything.
 */
export function toApiObject(scope: Construct, id: string, object: KubeObject): ApiObject {
  const apiObject = new ApiObject(scope, id, object);
  if (object.metadata.namespace === undefined && Chart.of(scope).namespace !== undefined) {
    apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return apiObject;
}
