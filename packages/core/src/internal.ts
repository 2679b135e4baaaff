/**
 * What the flavor packages (`@tailkube/cdk8s`, `@tailkube/pulumi`) and `@tailkube/testing` need
 * from core beyond its user API: resolved props, renderers, each construct's tailnet side, the
 * program's `TailnetModel`. Not for users: it changes with any release, and no user-facing document
 * imports it.
 *
 * @packageDocumentation
 */
export * from '@tailkube/policy';
export { canonical, compareStrings, simulateNodeAttributes, sortedRecord } from '@tailkube/policy/internal';
// The ProxyClass NodePort range, not the policy engine's port range.
export type { PortRange } from './props/proxy-class';
export * from './versions';
export * from './access';
export * from './props/api-server-proxy';
export * from './props/common';
export * from './props/connector';
export * from './props/dns-config';
export * from './props/egress-service';
export * from './props/funnel-ingress';
export * from './props/ingress';
export * from './props/operator-credentials';
export * from './props/operator-tailnet';
export * from './props/peer-relay';
export * from './props/proxy-class';
export * from './props/proxy-group-policy';
export * from './props/proxy-group';
export * from './props/recorder';
export * from './props/tailscale-ingress';
export * from './props/tailscale-operator';
export * from './props/tailscale-service';
export * from './validate/api-server-proxy';
export * from './validate/connector';
export * from './validate/dns-config';
export * from './validate/egress-service';
export * from './validate/funnel-ingress';
export * from './validate/ingress';
export * from './validate/operator-tailnet';
export * from './validate/peer-relay';
export * from './validate/proxy-class';
export * from './validate/proxy-group-policy';
export * from './validate/proxy-group';
export * from './validate/recorder';
export * from './validate/rules';
export * from './validate/scalars';
export * from './validate/shape';
export * from './validate/plain-data';
export * from './validate/props-shapes';
export * from './validate/tailscale-ingress';
export * from './validate/tailscale-operator';
export * from './validate/tailscale-service';
export * from './validate/with-fields';
export * from './render/api-server-proxy';
export * from './render/connector';
export * from './render/dns-config';
export * from './render/egress-service';
export * from './render/funnel-ingress';
export * from './render/gitops';
export * from './render/ingress';
export * from './render/operator-tailnet';
export * from './render/peer-relay';
export * from './render/kube-object';
export * from './render/proxy-class';
export * from './render/proxy-group-policy';
export * from './render/proxy-group';
export * from './render/recorder';
export * from './render/replace-on-changes';
export * from './render/tailscale-ingress';
export * from './render/tailscale-operator';
export * from './render/tailscale-service';
export * from './tailnet/api-server-proxy';
export * from './tailnet/connector';
export * from './tailnet/dns-config';
export * from './tailnet/egress-service';
export * from './tailnet/exposure';
export * from './tailnet/funnel-ingress';
export * from './tailnet/operator-tailnet';
export * from './tailnet/peer-relay';
export * from './tailnet/proxy-class';
export * from './tailnet/proxy-group-policy';
export * from './tailnet/proxy-group';
export * from './tailnet/recorder';
export * from './tailnet/requirements';
export * from './tailnet/tailscale-ingress';
export * from './tailnet/tailscale-operator';
export * from './tailnet/tailscale-service';
export * from './program/cross-construct-rules';
export * from './program/intended-access';
export * from './program/operator-namespace';
export * from './program/policy-tests';
export * from './program/object-identity';
export * from './program/silent-no-ops';
export * from './program/tailnet-model';
