import fc from 'fast-check';
import {
  bool,
  cidr,
  dnsLabel,
  domain,
  hostname,
  objectName,
  operatorTailnetRef,
  orWrong,
  principal,
  props,
  proxyClassRef,
  tags,
  uniqueHostname,
} from './shared';

/** Props of the Connector. */
export const connector = props({
  name: objectName,
  subnetRouter: orWrong(fc.record({ advertiseRoutes: fc.array(cidr, { maxLength: 3 }) })),
  exitNode: bool,
  appConnector: orWrong(
    fc.record(
      {
        domains: fc.array(domain, { maxLength: 3 }),
        routes: fc.array(cidr, { maxLength: 2 }),
        name: dnsLabel,
        clients: fc.array(principal, { maxLength: 2 }),
      },
      { requiredKeys: ['domains'] },
    ),
  ),
  hostname,
  hostnamePrefix: dnsLabel,
  replicas: fc.oneof(fc.constantFrom(1, 2, 3), fc.constantFrom(0, -1, 1.5)),
  tags,
  proxyClass: proxyClassRef,
  highAvailability: bool,
  operatorTailnet: operatorTailnetRef,
});

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validConnector = fc.record({
  name: fc.constantFrom('web', 'db'),
  hostname: uniqueHostname,
  subnetRouter: fc.record({ advertiseRoutes: fc.constantFrom(['10.0.0.0/8'], ['192.168.0.0/16']) }),
  highAvailability: fc.constant(true),
});
