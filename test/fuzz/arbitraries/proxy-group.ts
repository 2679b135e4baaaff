import fc from 'fast-check';
import { dnsLabel, objectName, operatorTailnetRef, orWrong, props, proxyClassRef, tags } from './shared';

/** Props of the ProxyGroup, of every type (a JavaScript caller may mix them). */
export const proxyGroup = props(
  {
    type: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('ingress', 'egress', 'kube-apiserver') },
      { weight: 1, arbitrary: fc.constantFrom('Ingress', 'proxy', '') },
    ),
    name: objectName,
    replicas: fc.oneof(fc.constantFrom(1, 2, 3, 0), fc.constantFrom(-1, 1.5, 1000, 2 ** 31)),
    hostnamePrefix: dnsLabel,
    tags,
    proxyClass: proxyClassRef,
    kubeAPIServer: orWrong(
      fc.record(
        { mode: fc.constantFrom('auth', 'noauth', 'none'), hostname: dnsLabel },
        { requiredKeys: [] },
      ),
    ),
    operatorTailnet: operatorTailnetRef,
  },
  ['type'],
);

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validProxyGroup = fc.record({
  type: fc.constantFrom('ingress', 'egress'),
  name: fc.constantFrom('web', 'db'),
});
