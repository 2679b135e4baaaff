import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import type { Construct } from 'constructs';
import { plainData, type KubeObject } from '@tailkube/core/internal';

/**
 * Wraps a core-rendered object in an `ApiObject`, checked as plain data (cdk8s cannot serialize an
 * object without a prototype, such as a map a caller built with `Object.create(null)`).
 * Cluster-scoped objects (no namespace in core's rendering) stay cluster-scoped even in a chart
 * that stamps a namespace on everything.
 */
export function toApiObject(scope: Construct, id: string, object: KubeObject): ApiObject {
  const apiObject = new ApiObject(scope, id, plainData(object));
  if (object.metadata.namespace === undefined && Chart.of(scope).namespace !== undefined) {
    apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return apiObject;
}
