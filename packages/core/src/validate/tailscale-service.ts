import { DEFAULT_PROXY_TAGS } from '../props/common';
import { EXPOSED_PORT_PROTOCOLS } from '../props/common';
import {
  EXPOSE_MECHANISMS,
  type ExposeMechanism,
  type ExposedServiceSpec,
  type TailscaleServicePort,
  type TailscaleServiceProps,
} from '../props/tailscale-service';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import {
  HOSTNAME_PATTERN,
  checkHostname,
  checkNamespace,
  checkObjectName,
  checkProxyClassLabel,
  checkTag,
} from './scalars';
import { TAILSCALE_SERVICE_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';
import { withFields } from './with-fields';

/** {@link TailscaleServiceProps} with every default applied, and the Service it exposes. */
export interface ResolvedTailscaleServiceProps extends TailscaleServiceProps {
  readonly mechanism: ExposeMechanism;
  readonly hostname: string;
  readonly tags: readonly string[];
  readonly ports: readonly TailscaleServicePort[];
  /** The companion Service's name (unused by `annotate`). */
  readonly name: string;
  /** The Service to expose. */
  readonly service: ExposedServiceSpec;
}

/** A Service name: an RFC 1035 label (starts with a letter), as Kubernetes requires of Services. */
const SERVICE_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A named port (IANA_SVC_NAME): up to 15 lower-case letters, digits and dashes, with a letter. */
const PORT_NAME_PATTERN = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** The suffix of a companion Service's default name. */
const COMPANION_SUFFIX = '-tailscale';

/**
 * Applies defaults to a TailscaleService's props for the Service it exposes, and checks them,
 * throwing the first {@link ValidationError} for `path`.
 */
export function resolveTailscaleServiceProps(
  path: string,
  given: TailscaleServiceProps,
  service: ExposedServiceSpec,
): ResolvedTailscaleServiceProps {
  const props = checkedProps(path, given, TAILSCALE_SERVICE_SHAPE);
  const mechanism = props.mechanism ?? defaultMechanism(service);
  const resolved: ResolvedTailscaleServiceProps = withFields(props, {
    mechanism,
    hostname: props.hostname ?? `${service.namespace}-${service.name}`,
    tags: props.tags ?? DEFAULT_PROXY_TAGS,
    ports: resolvePorts(props.ports, service.ports),
    name: props.name ?? `${service.name}${COMPANION_SUFFIX}`,
    service,
  });
  validateProps(path, resolved, [
    ...TAILSCALE_SERVICE_RULES,
    (p) => checkResolvedHostname(p, props.hostname === undefined),
    (p) => checkCompanionName(p, props.name === undefined),
  ]);
  return resolved;
}

/** Annotate what the program owns; else select the same pods; else point at the name. */
function defaultMechanism(service: ExposedServiceSpec): ExposeMechanism {
  if (service.annotatable) return 'annotate';
  return service.hasSelector ? 'load-balancer' : 'external-name';
}

/** The given ports, completed from the Service's own (targetPort, name); else the Service's. */
function resolvePorts(
  given: readonly TailscaleServicePort[] | undefined,
  known: readonly TailscaleServicePort[] | undefined,
): readonly TailscaleServicePort[] {
  if (given === undefined) return known ?? [];
  return given.map((port) => {
    const match = known?.find(
      (k) => k.port === port.port && (k.protocol ?? 'TCP') === (port.protocol ?? 'TCP'),
    );
    return match ? withFields(match, port) : port;
  });
}

const TAILSCALE_SERVICE_RULES: readonly Rule<ResolvedTailscaleServiceProps>[] = [
  (p) =>
    (EXPOSE_MECHANISMS as readonly string[]).includes(p.mechanism)
      ? undefined
      : {
          field: 'mechanism',
          value: p.mechanism,
          allowed: `one of ${EXPOSE_MECHANISMS.map((m) => `"${m}"`).join(', ')}`,
        },
  (p) =>
    checkObjectName(p.service.name, 'service.name') ??
    checkNamespace(p.service.namespace, 'service.namespace'),
  (p) => checkMechanism(p),
  // The operator refuses headless Services ("headless Services are not supported").
  (p) =>
    p.mechanism === 'annotate' && p.service.clusterIP === 'None'
      ? {
          field: 'service',
          value: `${p.service.namespace}/${p.service.name} (clusterIP: None)`,
          allowed: 'a Service with a cluster IP: the operator does not expose headless Services',
          hint: 'use `mechanism: "load-balancer"`: a companion Service selecting the same pods has a cluster IP',
        }
      : undefined,
  (p) => checkProxyGroup(p),
  (p) =>
    p.proxyClass && p.proxyGroup
      ? {
          field: 'proxyClass',
          value: p.proxyClass.name,
          allowed: 'absent when `proxyGroup` is set',
          hint: `the ProxyGroup "${p.proxyGroup.name}" runs the proxies with its own ProxyClass`,
        }
      : undefined,
  (p) => (p.proxyClass ? checkProxyClassLabel(p.proxyClass.name, 'proxyClass.name') : undefined),
  (p) =>
    (p.tags.length === 0
      ? { field: 'tags', value: p.tags, allowed: 'at least one tag (leave `tags` out for ["tag:k8s"])' }
      : undefined) ??
    checkEach('tags', p.tags, checkTag) ??
    checkUnique('tags', p.tags),
  (p) => checkPorts(p),
];

function checkMechanism(p: ResolvedTailscaleServiceProps): Violation | undefined {
  const target = `${p.service.namespace}/${p.service.name}`;
  if (p.mechanism === 'annotate' && !p.service.annotatable) {
    return {
      field: 'mechanism',
      value: p.mechanism,
      allowed: `"load-balancer" or "external-name": the program cannot add annotations to ${target}`,
      hint: 'pass the Service object the program creates to annotate it',
    };
  }
  if (p.mechanism === 'load-balancer' && !p.service.hasSelector) {
    return {
      field: 'mechanism',
      value: p.mechanism,
      allowed: `"external-name" or "annotate": the pod selector of ${target} is unknown, so a companion Service cannot select its pods`,
    };
  }
  return undefined;
}

/** A ProxyGroup serves a Tailscale Service from a cluster IP; an ExternalName Service has none. */
function checkProxyGroup(p: ResolvedTailscaleServiceProps): Violation | undefined {
  if (!p.proxyGroup) return undefined;
  const externalName = p.mechanism === 'external-name' || p.service.type === 'ExternalName';
  if (!externalName) return undefined;
  return {
    field: 'proxyGroup',
    value: p.proxyGroup.name,
    allowed:
      'absent for an ExternalName Service: the operator exposes a Service on a ProxyGroup through its ClusterIP',
    hint:
      p.mechanism === 'external-name'
        ? 'pass the Service object (or its pod selector) to use "annotate" or "load-balancer", or expose it standalone'
        : 'expose it standalone, or expose a ClusterIP Service instead',
  };
}

/** The hostname; the operator's default, `<namespace>-<name>`, must be one too when nothing overrides it. */
function checkResolvedHostname(p: ResolvedTailscaleServiceProps, defaulted: boolean): Violation | undefined {
  if (!defaulted) return checkHostname(p.hostname, 'hostname');
  if (HOSTNAME_PATTERN.test(p.hostname)) return undefined;
  return {
    field: 'hostname',
    value: p.hostname,
    allowed: 'a DNS label of 2 to 63 lower-case letters, digits and dashes',
    hint: 'the default "<namespace>-<name>" is not one; set `hostname`',
  };
}

/** A companion Service's name: Services are RFC 1035 labels. */
function checkCompanionName(p: ResolvedTailscaleServiceProps, defaulted: boolean): Violation | undefined {
  if (p.mechanism === 'annotate' || SERVICE_NAME_PATTERN.test(p.name)) return undefined;
  return {
    field: 'name',
    value: p.name,
    allowed: 'a Service name: at most 63 lower-case letters, digits and dashes, starting with a letter',
    ...(defaulted && { hint: 'the default "<target name>-tailscale" is not one; set `name`' }),
  };
}

function checkPorts(p: ResolvedTailscaleServiceProps): Violation | undefined {
  if (p.ports.length === 0) {
    return {
      field: 'ports',
      value: p.ports,
      allowed: 'at least one port',
      hint: `the ports of ${p.service.namespace}/${p.service.name} are unknown here; list the ports tailnet clients use`,
    };
  }
  const bad = checkEach('ports', p.ports, (port, field) => checkPort(port, field));
  if (bad) return bad;
  const keys = p.ports.map((port) => `${port.protocol ?? 'TCP'}/${port.port}`);
  const duplicate = checkUnique('ports', keys);
  if (duplicate) return { ...duplicate, value: p.ports[Number(/\[(\d+)\]/.exec(duplicate.field)?.[1])] };
  const known = p.service.ports;
  const target = `${p.service.namespace}/${p.service.name}`;
  const knownPort = (port: TailscaleServicePort) =>
    known?.find((k) => k.port === port.port && (k.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
  for (const [index, port] of p.ports.entries()) {
    const match = knownPort(port);
    if (p.mechanism === 'load-balancer') {
      // The companion selects the pods itself, so its ports are its own; each needs the pods' port.
      if (known === undefined || match !== undefined || port.targetPort !== undefined) continue;
      return {
        field: `ports[${index}].targetPort`,
        value: undefined,
        allowed: `the pods' port for ${port.port}/${port.protocol ?? 'TCP'}, which ${target} does not have`,
        hint: 'the companion selects the pods itself: give the port they serve, such as `targetPort: 8080`',
      };
    }
    if (known !== undefined && match === undefined) {
      return {
        field: `ports[${index}]`,
        value: port,
        allowed: `a port of ${target}: ${known.map((k) => `${k.port}/${k.protocol ?? 'TCP'}`).join(', ')}`,
        ...(port.targetPort !== undefined && { hint: MAPPING_HINT }),
      };
    }
    // The annotated Service, or the one an ExternalName points at, keeps its own mapping.
    const own = match ? (match.targetPort ?? match.port) : port.port;
    if (port.targetPort !== undefined && port.targetPort !== own) {
      return {
        field: `ports[${index}].targetPort`,
        value: port.targetPort,
        allowed: `absent or ${JSON.stringify(own)}: ${target} maps port ${port.port} itself`,
        hint: MAPPING_HINT,
      };
    }
  }
  return known === undefined ? undefined : checkCompanionPortNames(p);
}

/**
 * A Service with more than one port needs each named, uniquely (Kubernetes `validateServicePort`:
 * `spec.ports[0].name: Required value`, pkg/apis/core/validation/validation.go). Only the
 * `load-balancer` companion copies the ports; its names come from the props or the target, so this
 * runs once the target's ports are known (cdk8s: at once; Pulumi: when the Service resource resolves).
 */
function checkCompanionPortNames(p: ResolvedTailscaleServiceProps): Violation | undefined {
  if (p.mechanism !== 'load-balancer' || p.ports.length < 2) return undefined;
  const target = `${p.service.namespace}/${p.service.name}`;
  const index = p.ports.findIndex((port) => port.name === undefined || port.name === '');
  if (index >= 0) {
    return {
      field: `ports[${index}].name`,
      value: p.ports[index]!.name,
      allowed:
        'a port name: the companion Service has more than one port, and Kubernetes requires each of them named',
      hint: `name the ports of ${target}, or set \`name\` on each entry of \`ports\``,
    };
  }
  const duplicate = checkUnique(
    'ports',
    p.ports.map((port) => port.name!),
  );
  if (!duplicate) return undefined;
  return {
    field: `${duplicate.field}.name`,
    value: duplicate.value,
    allowed: 'a port name no other port of the companion Service has',
  };
}

/** How to map a tailnet port to another pod port: a companion that selects the pods itself. */
const MAPPING_HINT =
  'only `mechanism: "load-balancer"` maps a port to another target port: its companion Service selects the pods itself';

function checkPort(port: TailscaleServicePort, field: string): Violation | undefined {
  if (!isPortNumber(port.port))
    return { field: `${field}.port`, value: port.port, allowed: 'a port from 1 to 65535' };
  if (port.protocol !== undefined && !(EXPOSED_PORT_PROTOCOLS as readonly string[]).includes(port.protocol)) {
    return { field: `${field}.protocol`, value: port.protocol, allowed: 'one of "TCP", "UDP", "SCTP"' };
  }
  const target = port.targetPort;
  if (typeof target === 'number' && !isPortNumber(target)) {
    return { field: `${field}.targetPort`, value: target, allowed: 'a port from 1 to 65535, or a port name' };
  }
  if (typeof target === 'string' && !PORT_NAME_PATTERN.test(target)) {
    return {
      field: `${field}.targetPort`,
      value: target,
      allowed: 'a port name: up to 15 lower-case letters, digits and dashes',
    };
  }
  if (port.name !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(port.name)) {
    return {
      field: `${field}.name`,
      value: port.name,
      allowed: 'a port name: at most 63 lower-case letters, digits and dashes',
    };
  }
  return undefined;
}

function isPortNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}
