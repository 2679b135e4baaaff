import fc from 'fast-check';
import {
  dnsLabel,
  domain,
  hostname,
  ipAddress,
  namespaceName,
  objectName,
  orWrong,
  portNumber,
  props,
  proxyClassRef,
  proxyGroupRef,
  tags,
  uniqueHostname,
} from './shared';

const egressPort = fc.record(
  {
    port: portNumber,
    name: fc.oneof(fc.constantFrom('http', 'db', 'HTTP'), dnsLabel),
    protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'),
  },
  { requiredKeys: ['port'] },
);

/** Props of the EgressService. */
export const egressService = props(
  {
    name: objectName,
    namespace: namespaceName,
    tailnetFqdn: fc.oneof(fc.constantFrom('db.tailnet.ts.net', 'db.tailnet.ts.net.', 'db'), domain),
    tailnetIp: ipAddress,
    policyTarget: fc.oneof(fc.constantFrom('tag:db', 'db-host', '100.64.0.1', 'group:eng'), dnsLabel),
    ports: fc.array(orWrong(egressPort), { maxLength: 3 }),
    proxyGroup: proxyGroupRef('egress'),
    tags,
    hostname,
    proxyClass: proxyClassRef,
    clusterDomain: fc.oneof(fc.constantFrom('cluster.local', 'k8s.internal', 'Cluster.Local'), domain),
  },
  ['ports'],
);

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validEgressService = fc.record({
  name: fc.constantFrom('web', 'db'),
  namespace: fc.constantFrom('default', 'apps'),
  hostname: uniqueHostname,
  tailnetFqdn: fc.constantFrom('db.tailnet.ts.net', 'web.tailnet.ts.net'),
  policyTarget: fc.constantFrom('tag:db', '100.64.0.1'),
  ports: fc.constant([{ port: 5432 }]),
});
