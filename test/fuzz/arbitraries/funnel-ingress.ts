import fc from 'fast-check';
import { props, proxyGroupRef, uniqueHostname } from './shared';
import { ingressBase } from './ingress';

/** Props of the FunnelIngress: `public: true`, and never a ProxyGroup (a JavaScript caller may try). */
export const funnelIngress = props(
  {
    ...ingressBase,
    public: fc.oneof(
      { weight: 8, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constantFrom(false, 'yes') },
    ),
    proxyGroup: proxyGroupRef('ingress'),
  },
  ['public'],
);

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validFunnelIngress = fc.record({
  public: fc.constant(true),
  name: fc.constantFrom('web', 'db'),
  namespace: fc.constantFrom('default', 'apps'),
  hostname: uniqueHostname,
  defaultBackend: fc.constant({ serviceName: 'web', port: 80 }),
});
