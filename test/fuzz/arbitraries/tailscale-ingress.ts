import { bool, props, proxyGroupRef } from './shared';
import { ingressBase } from './ingress';

/** Props of the TailscaleIngress. */
export const tailscaleIngress = props({
  ...ingressBase,
  proxyGroup: proxyGroupRef('ingress'),
  httpEndpoint: bool,
});
