import fc from 'fast-check';
import { namespaceName, objectName, props, proxyGroupRef } from './shared';

/** Props of the ProxyGroupPolicy. */
export const proxyGroupPolicy = props({
  name: objectName,
  namespace: namespaceName,
  ingress: fc.array(proxyGroupRef('ingress'), { maxLength: 2 }),
  egress: fc.array(proxyGroupRef('egress'), { maxLength: 2 }),
});

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validProxyGroupPolicy = fc.record({
  name: fc.constantFrom('web', 'db'),
  namespace: fc.constantFrom('default', 'apps'),
});
