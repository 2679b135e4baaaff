import fc from 'fast-check';
import {
  bool,
  containerFields,
  domain,
  ipAddress,
  objectName,
  oddString,
  orWrong,
  podFields,
  portNumber,
  props,
  stringMap,
  topologySpreadConstraint,
} from './shared';

const portRange = fc.record(
  { port: fc.oneof(portNumber, fc.integer({ min: 30000, max: 32767 })), endPort: portNumber },
  { requiredKeys: ['port'] },
);

const dnsConfig = fc.record(
  {
    nameservers: fc.array(ipAddress, { maxLength: 4 }),
    searches: fc.oneof(
      fc.array(domain, { maxLength: 3 }),
      fc.constant(Array.from({ length: 33 }, (_, i) => `s${i}.example.com`)),
    ),
    options: fc.array(
      orWrong(
        fc.record(
          {
            name: fc.oneof(fc.constantFrom('ndots', 'rotate', 'timeout', 'edns0'), oddString),
            value: fc.oneof(fc.constantFrom('1', '5', ''), oddString),
          },
          { requiredKeys: ['name'] },
        ),
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

const pod = fc.record(
  {
    ...podFields,
    nodeName: fc.oneof(objectName, fc.constantFrom('node-1', 'ip-10-0-0-1.ec2.internal')),
    dnsPolicy: fc.constantFrom('ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None', 'none', ''),
    dnsConfig: orWrong(dnsConfig),
    topologySpreadConstraints: fc.array(topologySpreadConstraint, { maxLength: 2 }),
    priorityClassName: objectName,
    tailscaleContainer: orWrong(
      fc.record({ ...containerFields, debug: orWrong(fc.record({ enable: bool })) }, { requiredKeys: [] }),
    ),
    tailscaleInitContainer: orWrong(fc.record(containerFields, { requiredKeys: [] })),
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
