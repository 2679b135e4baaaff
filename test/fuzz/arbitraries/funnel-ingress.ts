import fc from 'fast-check';
import { props, proxyGroupRef } from './shared';
import { ingressBase } from './ingress';

/** Props of the FunnelIngress: `public: true`, and never a ProxyGroup (a JavaScript caller may try). */
export const funnelIngress = props(
  {
    ...ingressBase,
    public: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constantFrom(false, 'yes') }),
    proxyGroup: proxyGroupRef('ingress'),
  },
  ['public'],
);
