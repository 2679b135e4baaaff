import fc from 'fast-check';
import { bool, props, proxyGroupRef, uniqueHostname } from './shared';
import { ingressBase } from './ingress';

/** Props of the TailscaleIngress. */
export const tailscaleIngress = props({
  ...ingressBase,
  proxyGroup: proxyGroupRef('ingress'),
  httpEndpoint: bool,
});

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validTailscaleIngress = fc.record({
  name: fc.constantFrom('web', 'db'),
  namespace: fc.constantFrom('default', 'apps'),
  hostname: uniqueHostname,
  defaultBackend: fc.constant({ serviceName: 'web', port: 80 }),
});
