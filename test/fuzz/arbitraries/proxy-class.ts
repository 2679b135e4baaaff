import fc from 'fast-check';
import {
  affinity,
  bool,
  envVar,
  image,
  imagePullPolicy,
  imagePullSecrets,
  objectName,
  orWrong,
  portNumber,
  props,
  resources,
  securityContext,
  stringMap,
  toleration,
  topologySpreadConstraint,
} from './shared';

const initContainer = {
  env: fc.array(envVar, { maxLength: 2 }),
  image,
  imagePullPolicy,
  resources,
  securityContext,
};

const portRange = fc.record(
  { port: fc.oneof(portNumber, fc.integer({ min: 30000, max: 32767 })), endPort: portNumber },
  { requiredKeys: ['port'] },
);

const pod = fc.record(
  {
    labels: stringMap,
    annotations: stringMap,
    affinity,
    nodeSelector: stringMap,
    tolerations: fc.array(toleration, { maxLength: 2 }),
    topologySpreadConstraints: fc.array(topologySpreadConstraint, { maxLength: 2 }),
    priorityClassName: objectName,
    imagePullSecrets,
    securityContext,
    tailscaleContainer: orWrong(
      fc.record({ ...initContainer, debug: orWrong(fc.record({ enable: bool })) }, { requiredKeys: [] }),
    ),
    tailscaleInitContainer: orWrong(fc.record(initContainer, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

/** Props of the ProxyClass. */
export const proxyClass = props({
  name: objectName,
  statefulSet: orWrong(
    fc.record({ labels: stringMap, annotations: stringMap, pod: orWrong(pod) }, { requiredKeys: [] }),
  ),
  metrics: orWrong(
    fc.record(
      {
        enable: bool,
        serviceMonitor: orWrong(fc.record({ enable: bool, labels: stringMap }, { requiredKeys: ['enable'] })),
      },
      { requiredKeys: ['enable'] },
    ),
  ),
  tailscale: orWrong(fc.record({ acceptRoutes: bool }, { requiredKeys: [] })),
  useLetsEncryptStagingEnvironment: bool,
  staticEndpoints: orWrong(
    fc.record({
      nodePort: fc.record(
        { ports: fc.array(portRange, { maxLength: 3 }), selector: stringMap },
        { requiredKeys: ['ports'] },
      ),
    }),
  ),
  clusterNodePortRange: orWrong(portRange),
});

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validProxyClass = fc.record({ name: fc.constantFrom('web', 'db') });
