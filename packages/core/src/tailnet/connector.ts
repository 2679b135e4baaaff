import type { Grant, NodeAttr } from '@tailkube/policy';
import { compareStrings, formatAddress, parseRange } from '@tailkube/policy/internal';
import {
  EVERY_PORT,
  checkedPorts,
  deniedStandIn,
  readPorts,
  readPrincipals,
  type Allowance,
  type AllowOptions,
} from '../access';
import type { ResolvedConnectorProps } from '../validate/connector';
import { tailnetPlacement } from './operator-tailnet';
import { keyedRecord, type AccessIntent, type Claim, type TailnetRequirements } from './requirements';
import { ALLOW_OPTIONS_SHAPE } from '../validate/props-shapes';
import { checkShape } from '../validate/shape';

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
  const app = props.appConnector;
  const routes = keyedRecord(
    [
      ...(props.subnetRouter?.advertiseRoutes ?? []),
      ...(app ? (app.routes ?? APP_CONNECTOR_DISCOVERY_ROUTES) : []),
    ].map((route) => [route, tags] as const),
  );
  const approveRoutes = Object.keys(routes).length > 0;
  return {
    source,
    ...tailnetPlacement(props.operatorTailnet),
    proxyTags: props.tags,
    ...((approveRoutes || props.exitNode) && {
      autoApprovers: {
        ...(approveRoutes && { routes }),
        ...(props.exitNode && { exitNode: tags }),
      },
    }),
    ...(app && { nodeAttrs: [appConnectorAttr(props.name, tags, app)] }),
    claims: connectorClaims(props),
  };
}

/** The Connector's cluster-scoped name, its hostnames and its subnet routes. */
function connectorClaims(props: ResolvedConnectorProps): Claim[] {
  const field = 'subnetRouter.advertiseRoutes';
  return [
    { kind: 'cluster-object', field: 'name', objectKind: 'Connector', name: props.name },
    ...connectorHostnames(props).map((hostname): Claim => ({
      kind: 'hostname',
      field: 'hostname',
      hostname,
    })),
    ...[...new Set(props.subnetRouter?.advertiseRoutes ?? [])].map((route): Claim => ({
      kind: 'route',
      field,
      route,
      highAvailability: props.highAvailability,
    })),
  ];
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

/** What one `Connector.allow` call registers, and what it returns. */
export interface ConnectorAllowance {
  readonly allowance: Allowance;
  readonly requirements: TailnetRequirements;
}

/**
 * The access that lets `principals` use the Connector, and nothing more: grants to its subnet
 * routes; to `autogroup:internet` via its tags when it is an exit node; to the app's traffic via
 * its tags when it is an app connector. Throws a {@link ValidationError} for `source` on a bad
 * principal or port.
 *
 * The intended access, checked offline: each principal reaches a host address inside every subnet
 * route (and every preconfigured app connector route) and, for an exit node, the internet, on each
 * port the grant opens; and the stand-in for "anyone else" reaches none of them. An app connector
 * without preconfigured routes gets no intent: its routes are discovered at run time.
 *
 * @see https://tailscale.com/kb/1538/grants-syntax
 */
export function connectorAllowance(
  source: string,
  props: ResolvedConnectorProps,
  principals: unknown,
  options: AllowOptions = {},
): ConnectorAllowance {
  checkShape(source, options, ALLOW_OPTIONS_SHAPE, 'options');
  const placement = tailnetPlacement(props.operatorTailnet);
  const src = readPrincipals(source, principals, 'principals', placement.tailnet);
  const specs = options.ports === undefined ? EVERY_PORT : readPorts(source, options.ports);
  const ip = specs.map((spec) => spec.text);
  const via = sorted(props.tags);
  const grants: Grant[] = [];
  if (props.subnetRouter) grants.push({ src, dst: [...props.subnetRouter.advertiseRoutes], ip });
  if (props.exitNode) grants.push({ src, dst: ['autogroup:internet'], ip, via });
  if (props.appConnector) {
    const dst = props.appConnector.routes ? sorted(props.appConnector.routes) : ['autogroup:internet'];
    grants.push({ src, dst, ip, via });
  }
  const checked = checkedPorts(specs);
  const targets = [
    ...(props.subnetRouter?.advertiseRoutes ?? []).map(hostInside),
    ...(props.exitNode ? ['autogroup:internet'] : []),
    ...(props.appConnector?.routes ?? []).map(hostInside),
  ];
  const denied = deniedStandIn(src);
  const intendedAccess: AccessIntent[] = [];
  for (const dst of [...new Set(targets)]) {
    for (const port of checked) {
      for (const from of src) intendedAccess.push({ src: from, dst, ...port, expect: 'allow' });
      if (denied !== undefined) intendedAccess.push({ src: denied, dst, ...port, expect: 'deny' });
    }
  }
  return {
    allowance: { principals: src, grants },
    requirements: { source, ...placement, grants, intendedAccess },
  };
}

/** A host address inside a route: the first after the network address (the address of a /32). */
function hostInside(route: string): string {
  const range = parseRange(route)!;
  const value = range.last - range.first >= 2n ? range.first + 1n : range.first;
  return formatAddress(range.family, value);
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort(compareStrings);
}
