import { compareStrings } from '@tailkube/policy/internal';
import type { ConnectorAllowOptions } from '../props/connector';
import type { Grant, NodeAttr } from '@tailkube/policy';
import { formatAddress, parseRange } from '@tailkube/policy/internal';
import { parseIpSpec } from '@tailkube/policy';
import { ALL_PORTS } from '@tailkube/policy/internal';
import type { AccessIntent, TailnetRequirements } from '../policy/requirements';
import type { ResolvedConnectorProps } from '../validate/connector';
import { checkPrincipal } from '../validate/connector';
import { checkEach, validateProps, type Violation } from '../validate/rules';
import { deniedPrincipal } from './exposure';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';

/** The API version of the operator's custom resources (Connector, ProxyClass, …). */
export const TAILSCALE_API_VERSION = 'tailscale.com/v1alpha1';

/** The node capability that carries app connector domains in `nodeAttrs`. */
export const APP_CONNECTORS_CAPABILITY = 'tailscale.com/app-connectors';

/**
 * Routes an app connector may advertise when no preconfigured routes narrow them: it discovers
 * routes at run time, so Tailscale's guide approves every route for the connector's tags. This
 * approves only what the app connector advertises; it does not make it an exit node.
 *
 * @see https://tailscale.com/kb/1342/app-connectors-setup
 */
export const APP_CONNECTOR_DISCOVERY_ROUTES: readonly string[] = ['0.0.0.0/0', '::/0'];

/**
 * The Connector object: cluster-scoped, so no namespace. Tags are always rendered, so the device's
 * tags are the ones the policy approves.
 */
export function renderConnector(props: ResolvedConnectorProps): KubeObject {
  return {
    apiVersion: TAILSCALE_API_VERSION,
    kind: 'Connector',
    metadata: { name: props.name, labels: { ...MANAGED_BY_LABELS } },
    spec: {
      ...(props.subnetRouter && {
        subnetRouter: { advertiseRoutes: [...props.subnetRouter.advertiseRoutes] },
      }),
      ...(props.exitNode && { exitNode: true }),
      ...(props.appConnector && {
        appConnector: props.appConnector.routes ? { routes: [...props.appConnector.routes] } : {},
      }),
      ...(props.hostname !== undefined && { hostname: props.hostname }),
      ...(props.hostnamePrefix !== undefined && { hostnamePrefix: props.hostnamePrefix }),
      ...(props.replicas !== undefined && { replicas: props.replicas }),
      tags: [...props.tags],
      ...(props.proxyClass && { proxyClass: props.proxyClass.name }),
    },
  };
}

/**
 * The hostnames the operator will request for the Connector's devices: `<prefix>-<i>` per replica
 * with `hostnamePrefix`, else `hostname` (default `<name>-connector`), which every replica then
 * asks for. The real MagicDNS name comes from the Connector's status: a collision gets `-1`.
 */
export function connectorHostnames(props: ResolvedConnectorProps): string[] {
  const replicas = props.replicas ?? 1;
  if (replicas === 0) return [];
  if (props.hostnamePrefix !== undefined) {
    return Array.from({ length: replicas }, (_, i) => `${props.hostnamePrefix}-${i}`);
  }
  return [props.hostname ?? `${props.name}-connector`];
}

/**
 * What a Connector needs from the tailnet: its tags owned by the operator's, its hostnames, its
 * routes and exit node approved for exactly its tags, and, for an app connector, its domains in
 * `nodeAttrs`.
 */
export function connectorRequirements(source: string, props: ResolvedConnectorProps): TailnetRequirements {
  const tags = sorted(props.tags);
  const routes: Record<string, readonly string[]> = {};
  for (const route of props.subnetRouter?.advertiseRoutes ?? []) routes[route] = tags;
  const app = props.appConnector;
  if (app) {
    for (const route of app.routes ?? APP_CONNECTOR_DISCOVERY_ROUTES) routes[route] = tags;
  }
  const approveRoutes = Object.keys(routes).length > 0;
  return {
    source,
    clusterObjects: [{ kind: 'Connector', name: props.name }],
    proxyTags: props.tags,
    hostnames: connectorHostnames(props),
    ...((approveRoutes || props.exitNode) && {
      autoApprovers: {
        ...(approveRoutes && { routes }),
        ...(props.exitNode && { exitNode: tags }),
      },
    }),
    ...(app && { nodeAttrs: [appConnectorAttr(props.name, tags, app)] }),
    ...(props.subnetRouter && {
      advertisedRoutes: {
        routes: props.subnetRouter.advertiseRoutes,
        highAvailability: props.highAvailability,
      },
    }),
  };
}

function appConnectorAttr(
  name: string,
  tags: readonly string[],
  app: NonNullable<ResolvedConnectorProps['appConnector']>,
): NodeAttr {
  return {
    target: [...(app.clients ?? ['*'])],
    app: {
      [APP_CONNECTORS_CAPABILITY]: [
        {
          name: app.name ?? name,
          connectors: [...tags],
          domains: sorted(app.domains),
          ...(app.routes && { routes: sorted(app.routes) }),
        },
      ],
    },
  };
}

/**
 * Grants that let `principals` use the Connector, and nothing more: to its subnet routes; to
 * `autogroup:internet` via its tags when it is an exit node; to the app's traffic via its tags when
 * it is an app connector. Throws a {@link ValidationError} for `path` on a bad principal.
 *
 * @see https://tailscale.com/kb/1538/grants-syntax
 */
export function connectorGrants(
  path: string,
  props: ResolvedConnectorProps,
  principals: readonly string[],
  options: ConnectorAllowOptions = {},
): Grant[] {
  validateProps(path, { principals, options }, [
    ({ principals: p }) =>
      p.length === 0 ? { field: 'principals', value: p, allowed: 'at least one principal' } : undefined,
    ({ principals: p }) => checkEach('principals', p, checkPrincipal),
    ({ options: o }) => checkIp(o.ip),
  ]);
  const src = sorted(principals);
  const ip = [...(options.ip ?? ['*'])];
  const via = sorted(props.tags);
  const grants: Grant[] = [];
  if (props.subnetRouter) grants.push({ src, dst: [...props.subnetRouter.advertiseRoutes], ip });
  if (props.exitNode) grants.push({ src, dst: ['autogroup:internet'], ip, via });
  if (props.appConnector) {
    const dst = props.appConnector.routes ? sorted(props.appConnector.routes) : ['autogroup:internet'];
    grants.push({ src, dst, ip, via });
  }
  return grants;
}

/**
 * The TCP port checked when `allow` grants every port (`*`, `tcp:*`): any port would do, and 443
 * is the one most traffic through a router or exit node uses.
 */
export const REPRESENTATIVE_PORT = 443;

/** Principals the offline policy engine resolves to devices; roles such as `autogroup:admin` it cannot. */
const EVALUABLE_PRINCIPAL = /^(\*|autogroup:(member|tagged)|group:.+|tag:.+|[^:]+@.*)$/;

/**
 * The access `allow(principals, options)` means to give, checked offline against the rendered
 * policy: each principal reaches a host address inside every subnet route (and every preconfigured
 * app connector route) and, for an exit node, the internet (`autogroup:internet`), on each TCP port
 * the grant opens (its first port, {@link REPRESENTATIVE_PORT} for all ports); and a principal the
 * grant does not cover (`autogroup:member`, else `autogroup:tagged`) reaches none of them, so
 * nothing else in the policy lets everyone in.
 *
 * Principals the engine cannot resolve (user roles) and ICMP-only grants are not checked.
 * An app connector without preconfigured routes gets no intent: its routes are discovered at run
 * time.
 */
export function connectorIntendedAccess(
  props: ResolvedConnectorProps,
  principals: readonly string[],
  options: ConnectorAllowOptions = {},
): AccessIntent[] {
  const ports = checkedPorts(options.ip ?? ['*']);
  const targets = [
    ...(props.subnetRouter?.advertiseRoutes ?? []).map(hostInside),
    ...(props.exitNode ? ['autogroup:internet'] : []),
    ...(props.appConnector?.routes ?? []).map(hostInside),
  ];
  const src = sorted(principals).filter((principal) => EVALUABLE_PRINCIPAL.test(principal));
  const denied = deniedPrincipal(principals);
  const intents: AccessIntent[] = [];
  for (const dst of [...new Set(targets)]) {
    for (const port of ports) {
      for (const from of src) intents.push({ src: from, dst, ...port, expect: 'allow' });
      if (denied !== undefined) intents.push({ src: denied, dst, ...port, expect: 'deny' });
    }
  }
  return intents;
}

/**
 * The ports checked for grant `ip` specs: each spec's first port, over TCP when it admits TCP,
 * else over UDP when it admits UDP; ICMP-only specs are not checked.
 */
function checkedPorts(ip: readonly string[]): { readonly port: number; readonly proto?: 'udp' }[] {
  const checked = new Map<string, { readonly port: number; readonly proto?: 'udp' }>();
  for (const spec of ip) {
    const parsed = parseIpSpec(spec);
    if (!parsed.ok) continue;
    const tcp = parsed.value.protocols.includes(6);
    if (!tcp && !parsed.value.protocols.includes(17)) continue;
    for (const range of parsed.value.ports) {
      const all = range.First === ALL_PORTS.First && range.Last === ALL_PORTS.Last;
      const port = all ? REPRESENTATIVE_PORT : range.First;
      checked.set(`${tcp ? 'tcp' : 'udp'}:${port}`, tcp ? { port } : { port, proto: 'udp' });
    }
  }
  return [...checked.values()].sort(
    (a, b) => compareStrings(a.proto ?? '', b.proto ?? '') || a.port - b.port,
  );
}

/** A host address inside a route: the first after the network address (the address of a /32). */
function hostInside(route: string): string {
  const range = parseRange(route)!;
  const value = range.last - range.first >= 2n ? range.first + 1n : range.first;
  return formatAddress(range.family, value);
}

/** The grant `ip` syntax: `*`, a protocol, or `proto:ports` with ports `*`, `n` or `n-m`. */
const IP_SPEC =
  /^(\*|(tcp|udp|sctp|icmp|ipv6-icmp|igmp|gre|esp|ah|\d{1,3})(:(\*|\d{1,5}(-\d{1,5})?))?|\d{1,5}(-\d{1,5})?)$/;

function checkIp(ip: readonly string[] | undefined): Violation | undefined {
  if (ip === undefined) return undefined;
  if (ip.length === 0) return { field: 'ip', value: ip, allowed: 'at least one protocol or port' };
  return checkEach('ip', ip, (value, field) =>
    IP_SPEC.test(value)
      ? undefined
      : { field, value, allowed: 'a grant protocol and ports such as "*", "tcp:443" or "udp:53"' },
  );
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort(compareStrings);
}
