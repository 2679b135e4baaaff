import ipaddr from 'ipaddr.js';
import { DEFAULT_PROXY_TAGS } from '../props/common';
import type { ConnectorProps } from '../props/connector';
import { checkPrincipal } from '../access';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import { checkTailnetReference } from './operator-tailnet';
import {
  HOSTNAME_PATTERN,
  checkHostname,
  checkHostnamePrefix,
  checkObjectName,
  checkRoute,
  checkTag,
  maskRoute,
  checkReplicas,
} from './scalars';
import { CONNECTOR_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';
import { withFields } from './with-fields';

/** {@link ConnectorProps} with every default applied. */
export interface ResolvedConnectorProps extends ConnectorProps {
  readonly name: string;
  readonly exitNode: boolean;
  readonly tags: readonly string[];
  readonly highAvailability: boolean;
}

/** Default routes: an exit node's, never a subnet route. */
const DEFAULT_ROUTES: readonly string[] = ['0.0.0.0/0', '::/0'];
/** Tailscale's 4via6 prefix (`tsaddr.IsViaPrefix`). */
const VIA_PREFIX = ipaddr.parseCIDR('fd7a:115c:a1e0:b1a::/64');
/** A DNS name an app connector serves, optionally with a leading `*.` wildcard. */
const DOMAIN_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * Applies defaults to a Connector's props and checks them, throwing the first
 * {@link ValidationError} for `path`. `defaultName` is the object name when the props give none.
 */
export function resolveConnectorProps(
  path: string,
  defaultName: string,
  given: ConnectorProps,
): ResolvedConnectorProps {
  const props = checkedProps(path, given, CONNECTOR_SHAPE);
  const resolved: ResolvedConnectorProps = withFields(props, {
    name: props.name ?? defaultName,
    exitNode: props.exitNode ?? false,
    tags: props.tags ?? DEFAULT_PROXY_TAGS,
    highAvailability: props.highAvailability ?? false,
  });
  validateProps(path, resolved, CONNECTOR_RULES);
  return resolved;
}

const CONNECTOR_RULES: readonly Rule<ResolvedConnectorProps>[] = [
  (p) => checkObjectName(p.name, 'name'),
  // CEL: has(self.subnetRouter) || self.exitNode == true || has(self.appConnector)
  (p) =>
    p.subnetRouter || p.exitNode || p.appConnector
      ? undefined
      : {
          field: 'subnetRouter',
          value: undefined,
          allowed: 'set, or `exitNode: true`, or `appConnector` set: a Connector needs at least one role',
        },
  // CEL: appConnector is exclusive with subnetRouter and exitNode.
  (p) =>
    p.appConnector && (p.subnetRouter || p.exitNode)
      ? {
          field: 'appConnector',
          value: p.appConnector,
          allowed: 'absent when `subnetRouter` or `exitNode` is set',
          hint: 'an app connector cannot also be a subnet router or exit node; use two Connectors',
        }
      : undefined,
  (p) => checkReplicas(p.replicas),
  (p) => (p.hostname === undefined ? undefined : checkHostname(p.hostname, 'hostname')),
  (p) =>
    p.hostnamePrefix === undefined ? undefined : checkHostnamePrefix(p.hostnamePrefix, 'hostnamePrefix'),
  // CEL: hostname and hostnamePrefix are mutually exclusive.
  (p) =>
    p.hostname !== undefined && p.hostnamePrefix !== undefined
      ? { field: 'hostnamePrefix', value: p.hostnamePrefix, allowed: 'absent when `hostname` is set' }
      : undefined,
  // CEL: no hostname when replicas > 1.
  (p) =>
    p.hostname !== undefined && (p.replicas ?? 1) > 1
      ? {
          field: 'hostname',
          value: p.hostname,
          allowed: 'absent when `replicas` is greater than 1',
          hint: 'set `hostnamePrefix` instead: replica i joins as "<prefix>-<i>"',
        }
      : undefined,
  (p) => checkDefaultHostname(p),
  (p) => (p.subnetRouter ? checkSubnetRoutes(p.subnetRouter.advertiseRoutes) : undefined),
  (p) => (p.appConnector ? checkAppConnector(p.appConnector) : undefined),
  (p) =>
    (p.tags.length === 0
      ? { field: 'tags', value: p.tags, allowed: 'at least one tag (leave `tags` out for ["tag:k8s"])' }
      : undefined) ??
    checkEach('tags', p.tags, checkTag) ??
    checkUnique('tags', p.tags),
  (p) => (p.proxyClass ? checkObjectName(p.proxyClass.name, 'proxyClass.name') : undefined),
  (p) => checkTailnetReference(p.operatorTailnet, 'operatorTailnet'),
];

/** The operator names the device `<name>-connector` when no hostname is given; it must be valid. */
function checkDefaultHostname(p: ResolvedConnectorProps): Violation | undefined {
  if (p.hostname !== undefined || p.hostnamePrefix !== undefined) return undefined;
  const hostname = `${p.name}-connector`;
  if (HOSTNAME_PATTERN.test(hostname)) return undefined;
  return {
    field: 'name',
    value: p.name,
    allowed: 'a name whose default hostname "<name>-connector" is a valid device hostname',
    hint: 'set `hostname` (or `hostnamePrefix`) explicitly',
  };
}

function checkSubnetRoutes(routes: readonly string[] | undefined): Violation | undefined {
  const field = 'subnetRouter.advertiseRoutes';
  if (!Array.isArray(routes) || routes.length === 0) {
    return { field, value: routes, allowed: 'at least one route' };
  }
  return (
    checkEach(field, routes, (route, itemField) =>
      DEFAULT_ROUTES.includes(maskRoute(route) ?? route)
        ? {
            field: itemField,
            value: route,
            allowed: 'a subnet route, not a default route',
            hint: 'set `exitNode: true` to make the Connector an exit node',
          }
        : checkConnectorRoute(route, itemField),
    ) ?? checkUnique(field, routes)
  );
}

function checkAppConnector(app: NonNullable<ConnectorProps['appConnector']>): Violation | undefined {
  if (app.routes !== undefined) {
    if (app.routes.length === 0) {
      return {
        field: 'appConnector.routes',
        value: app.routes,
        allowed: 'at least one route (leave `routes` out to discover them)',
      };
    }
    const bad = checkEach('appConnector.routes', app.routes, checkConnectorRoute);
    if (bad) return bad;
    const duplicate = checkUnique('appConnector.routes', app.routes);
    if (duplicate) return duplicate;
  }
  if (!Array.isArray(app.domains) || app.domains.length === 0) {
    return { field: 'appConnector.domains', value: app.domains, allowed: 'at least one domain' };
  }
  const domain = checkEach('appConnector.domains', app.domains, checkDomain);
  if (domain) return domain;
  const unique = checkUnique('appConnector.domains', app.domains);
  if (unique) return unique;
  if (app.name !== undefined && app.name.trim() === '') {
    return { field: 'appConnector.name', value: app.name, allowed: 'a non-empty app name' };
  }
  if (app.clients !== undefined) {
    if (app.clients.length === 0) {
      return {
        field: 'appConnector.clients',
        value: app.clients,
        allowed: 'at least one client selector (leave `clients` out for every device, ["*"])',
      };
    }
    return checkEach('appConnector.clients', app.clients, checkPrincipal);
  }
  return undefined;
}

/** A masked route, and a 4via6 route as the operator checks it (`netutil.ValidateViaPrefix`). */
function checkConnectorRoute(route: string, field: string): Violation | undefined {
  const bad = checkRoute(route, field);
  if (bad) return bad;
  // A masked IPv4 route is never 4via6; ipaddr.js would throw (and catch) to read it as IPv6 first.
  if (!route.includes(':')) return undefined;
  const [address, bits] = ipaddr.parseCIDR(route);
  if (address.kind() !== 'ipv6' || !(address as ipaddr.IPv6).match(VIA_PREFIX)) return undefined;
  const parts = (address as ipaddr.IPv6).parts;
  const siteId = (parts[4] ?? 0) * 0x10000 + (parts[5] ?? 0);
  if (bits < 96) {
    return { field, value: route, allowed: 'a 4via6 route of at least /96' };
  }
  if (siteId > 0xffff) {
    return { field, value: route, allowed: 'a 4via6 route whose site ID is 0xffff or less' };
  }
  return undefined;
}

/** A domain an app connector serves: `example.com` or `*.example.com`. */
export function checkDomain(value: string, field: string): Violation | undefined {
  if (DOMAIN_PATTERN.test(value)) return undefined;
  const lower = value.toLowerCase().replace(/\.$/, '');
  return {
    field,
    value,
    allowed: 'a domain such as "github.com" or "*.example.com"',
    ...(lower !== value && DOMAIN_PATTERN.test(lower) && { hint: `did you mean "${lower}"?` }),
  };
}
