import fc from 'fast-check';
import {
  dnsLabel,
  objectName,
  oddString,
  operatorTailnetRef,
  orWrong,
  props,
  proxyClassRef,
  stringMap,
  tags,
} from './shared';

const elasticIP = fc.record({
  allocationID: fc.oneof(fc.constantFrom('eipalloc-0123abcd', 'eipalloc-1', 'bad'), oddString),
  subnetID: fc.oneof(fc.constantFrom('subnet-0123abcd', 'subnet-1', 'bad'), oddString),
});

/** Props of the PeerRelay. */
export const peerRelay = props({
  name: objectName,
  replicas: fc.oneof(fc.constantFrom(1, 2, 3), fc.constantFrom(0, -1, 1.5, 2 ** 31)),
  hostnamePrefix: dnsLabel,
  tags,
  proxyClass: proxyClassRef,
  service: orWrong(fc.record({ annotations: stringMap }, { requiredKeys: [] })),
  aws: orWrong(fc.record({ elasticIPs: fc.array(orWrong(elasticIP), { maxLength: 3 }) })),
  operatorTailnet: operatorTailnetRef,
});

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validPeerRelay = fc.record({ name: fc.constantFrom('web', 'db') });
