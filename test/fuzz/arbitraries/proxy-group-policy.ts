import fc from 'fast-check';
import { namespaceName, objectName, props, proxyGroupRef } from './shared';

/** Props of the ProxyGroupPolicy. */
export const proxyGroupPolicy = props({
  name: objectName,
  namespace: namespaceName,
  ingress: fc.array(proxyGroupRef('ingress'), { maxLength: 2 }),
  egress: fc.array(proxyGroupRef('egress'), { maxLength: 2 }),
});
