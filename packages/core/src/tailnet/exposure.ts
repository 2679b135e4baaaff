import { ValidationError, type Grant, type ProtocolPorts } from '@tailkube/policy';
import { compareStrings } from '@tailkube/policy/internal';
import {
  checkedPorts,
  deniedStandIn,
  readPorts,
  readPrincipals,
  type Allowance,
  type AllowOptions,
  type ParsedPortSpec,
} from '../access';
import type { ExposedPort, ExposedPortProtocol, IProxyGroup } from '../props/common';
import { tailnetPlacement } from './operator-tailnet';
import { ALLOW_OPTIONS_SHAPE } from '../validate/props-shapes';
import { checkShape } from '../validate/shape';
import { ingressBackends, type ResolvedIngressBaseProps } from '../validate/ingress';
import { keyedRecord, type AccessIntent, type BackendUse, type TailnetRequirements } from './requirements';

/**
 * Something exposed to the tailnet (a Service or an Ingress), as its tailnet side sees it: its own
 * device (standalone), or a Tailscale Service `svc:<hostname>` served by an ingress ProxyGroup.
 */
export interface ExposureTarget {
  /** The construct, as named in messages: `Kind 'path'`. */
  readonly source: string;
  /**
   * The device hostname (standalone) or the Tailscale Service's name without `svc:` (ProxyGroup).
   * Either way its MagicDNS name is `<hostname>.<tailnet>.ts.net`, so it is unique in the program.
   */
  readonly hostname: string;
  /**
   * Resolved tags: the device's (standalone), or the Tailscale Service's own (ProxyGroup) — which
   * the operator takes from the object's `tailscale.com/tags` or its default proxy tags, never
   * from the group.
   */
  readonly tags: readonly string[];
  /**
   * The ingress ProxyGroup whose devices serve it.
   *
   * @default - standalone: the operator runs one proxy pod and one device for it
   */
  readonly proxyGroup?: IProxyGroup<'ingress'>;
  /** The ports tailnet clients reach it on. */
  readonly ports: readonly ExposedPort[];
  /**
   * The Kubernetes object the operator reads, which names the ProxyGroup in its
   * `tailscale.com/proxy-group` annotation; a namespace's ProxyGroupPolicies govern it.
   */
  readonly object: { readonly kind: 'Service' | 'Ingress'; readonly namespace: string };
  /**
   * The `Tailnet` object its devices join, when not the operator's own tailnet (its ProxyGroup's
   * when it has one).
   *
   * @default - its ProxyGroup's tailnet, or the operator's own
   */
  readonly tailnetName?: string | undefined;
}

/**
 * What an `allow` call needs to know of what it lets principals reach: its name in messages, its
 * tags (or `svc:` name on a ProxyGroup) and the ports it serves. An {@link ExposureTarget}, or a
 * Recorder's UI.
 */
export type AllowTarget = Pick<
  ExposureTarget,
  'source' | 'hostname' | 'tags' | 'proxyGroup' | 'ports' | 'tailnetName'
>;

/** What one `allow` call on something exposed registers, and what it returns. */
export interface ExposureAllowance {
  readonly allowance: Allowance;
  readonly requirements: TailnetRequirements;
}

/** The Tailscale Service name the operator creates for a hostname on a ProxyGroup: `svc:<hostname>`. */
export function tailscaleServiceName(hostname: string): string {
  return `svc:${hostname}`;
}

/**
 * What a grant to the target names as `dst`: its tags (standalone), or its Tailscale Service
 * (ProxyGroup), whose devices the group's replicas are.
 */
export function exposureDestination(target: AllowTarget): string[] {
  return target.proxyGroup ? [tailscaleServiceName(target.hostname)] : sorted(target.tags);
}

/**
 * What exposing `target` needs from the tailnet, before anyone is allowed to reach it: its tags
 * owned by the operator's tag, its hostname unique in the program, and for a ProxyGroup the
 * Tailscale Service approved for the group's tags (`autoApprovers.services`) with the `services`
 * OAuth scope the operator needs to create it.
 */
export function exposureRequirements(target: ExposureTarget): TailnetRequirements {
  const group = target.proxyGroup;
  return {
    source: target.source,
    ...tailnetPlacement(target.tailnetName ?? group?.tailnetName),
    proxyTags: sorted(target.tags),
    ...(group && {
      autoApprovers: { services: keyedRecord([[tailscaleServiceName(target.hostname), sorted(group.tags)]]) },
      oauthScopes: ['services'],
    }),
    claims: [
      { kind: 'hostname', field: 'hostname', hostname: target.hostname },
      // The operator exposes an Ingress, and an annotated or companion Service: the ingress list.
      ...(group
        ? [
            {
              kind: 'proxy-group-use',
              field: 'proxyGroup',
              objectKind: target.object.kind,
              namespace: target.object.namespace,
              proxyGroup: group.name,
              list: 'ingress',
            } as const,
          ]
        : []),
    ],
  };
}

/**
 * The access that lets `principals` reach `target` and nothing more: one grant to exactly its
 * tags (standalone) or its `svc:` name (ProxyGroup) on its ports (`tcp:80`, `udp:53`), and the
 * intended access to check offline: each principal reaches each allowed TCP and UDP port, and the
 * stand-in for "anyone else" does not reach the first. Nothing comes from `*` unless `principals`
 * names it. Throws a {@link ValidationError} for `target.source` on a bad principal or port.
 */
export function exposureAllowance(
  target: AllowTarget,
  principals: unknown,
  options: AllowOptions = {},
): ExposureAllowance {
  checkShape(target.source, options, ALLOW_OPTIONS_SHAPE, 'options');
  const placement = tailnetPlacement(target.tailnetName ?? target.proxyGroup?.tailnetName);
  const src = readPrincipals(target.source, principals, 'principals', placement.tailnet);
  const ports =
    options.ports === undefined
      ? target.ports
      : selectedPorts(target, readPorts(target.source, options.ports));
  const dst = exposureDestination(target);
  const grant: Grant = { src, dst, ip: [...new Set(ports.map(portSpec))].sort(compareStrings) };
  const checked = checkedPorts(ports.map(protocolPorts));
  const intendedAccess: AccessIntent[] = [];
  for (const to of dst) {
    for (const port of checked) {
      for (const from of src) intendedAccess.push({ src: from, dst: to, ...port, expect: 'allow' });
    }
  }
  // One stand-in, on one port: enough to catch a base policy that lets it in, and each check
  // costs a policy evaluation.
  const denied = deniedStandIn(src);
  const [firstDst] = dst;
  const [firstPort] = checked;
  if (denied !== undefined && firstDst !== undefined && firstPort !== undefined) {
    intendedAccess.push({ src: denied, dst: firstDst, ...firstPort, expect: 'deny' });
  }
  return {
    allowance: { principals: src, grants: [grant] },
    requirements: { source: target.source, ...placement, grants: [grant], intendedAccess },
  };
}

/** The exposed ports that `specs` open; each spec must open at least one. */
function selectedPorts(target: AllowTarget, specs: readonly ParsedPortSpec[]): ExposedPort[] {
  const selected = new Set<ExposedPort>();
  for (const [index, spec] of specs.entries()) {
    const opened = target.ports.filter((port) => {
      const parsed = protocolPorts(port);
      return (
        spec.protocols.some((protocol) => parsed.protocols.includes(protocol)) &&
        spec.ports.some((range) => range.First <= port.port && port.port <= range.Last)
      );
    });
    if (opened.length === 0) {
      const exposed = [...new Set(target.ports.map((port) => port.port))].sort((a, b) => a - b);
      throw new ValidationError({
        path: target.source,
        field: `ports[${index}]`,
        value: spec.given,
        allowed: `one of the exposed ports ${JSON.stringify(exposed)}`,
      });
    }
    for (const port of opened) selected.add(port);
  }
  return target.ports.filter((port) => selected.has(port));
}

/** IANA protocol numbers of the `ServicePort` protocols. */
const PROTOCOL_NUMBERS: Readonly<Record<ExposedPortProtocol, number>> = { TCP: 6, UDP: 17, SCTP: 132 };

function protocolPorts(port: ExposedPort): ProtocolPorts {
  return {
    protocols: [PROTOCOL_NUMBERS[protocolOf(port)]],
    ports: [{ First: port.port, Last: port.port }],
  };
}

function protocolOf(port: ExposedPort): ExposedPortProtocol {
  return port.protocol ?? 'TCP';
}

function portSpec(port: ExposedPort): string {
  return `${protocolOf(port).toLowerCase()}:${port.port}`;
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort(compareStrings);
}

/** The Services an Ingress's backends name, in its namespace, for the program-wide port check. */
export function backendUses(props: ResolvedIngressBaseProps): BackendUse[] {
  return ingressBackends(props).map(({ field, backend }) => ({
    field,
    namespace: props.namespace,
    serviceName: backend.serviceName,
    port: backend.port,
  }));
}
