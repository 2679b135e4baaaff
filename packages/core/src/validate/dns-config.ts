import ipaddr from 'ipaddr.js';
import { DEFAULT_CORE_DNS_STUB, type CoreDnsStubOptions, type DNSConfigProps } from '../props/dns-config';
import { K8S_NAMESERVER_IMAGE } from '../versions';
import { checkKubeFields } from './kube-schema';
import { validateProps, type Rule, type Violation } from './rules';
import { checkLabelValue, checkNamespace, checkObjectName, checkReplicas } from './scalars';
import { DNS_CONFIG_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';
import { withFields } from './with-fields';

/** {@link DNSConfigProps} with every default applied. */
export interface ResolvedDNSConfigProps extends DNSConfigProps {
  readonly name: string;
  readonly image: { readonly repo: string; readonly tag: string };
  /** Where the CoreDNS stub goes, when the props ask for it. */
  readonly coreDnsStub?: Required<CoreDnsStubOptions>;
}

/** An image tag, as the OCI distribution spec allows one. */
const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** An image repository: lower-case path components, optionally behind a registry host and port. */
const IMAGE_REPO_PATTERN =
  /^([a-zA-Z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
/** A ConfigMap key. */
const CONFIG_MAP_KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;
/** A label key: an optional DNS subdomain prefix, then a name of at most 63 characters. */
const LABEL_KEY_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Applies defaults to a DNSConfig's props and checks them, throwing the first
 * {@link ValidationError} for `path`. `defaultName` is the object name when the props give none.
 */
export function resolveDNSConfigProps(
  path: string,
  defaultName: string,
  given: DNSConfigProps,
): ResolvedDNSConfigProps {
  const props = checkedProps(path, given, DNS_CONFIG_SHAPE);
  const { coreDnsStub, operator, ...rest } = props;
  // The operator's release and registry, when one is named (tailscaleImage in versions.ts).
  const release = operator?.images?.['k8s-nameserver'];
  const resolved: ResolvedDNSConfigProps = withFields(rest, {
    name: props.name ?? defaultName,
    image: {
      repo: props.image?.repo ?? release?.repository ?? K8S_NAMESERVER_IMAGE.repo,
      tag: props.image?.tag ?? release?.tag ?? K8S_NAMESERVER_IMAGE.tag,
    },
    ...(coreDnsStub && { coreDnsStub: { ...DEFAULT_CORE_DNS_STUB, ...coreDnsStub } }),
  });
  validateProps(path, resolved, DNS_CONFIG_RULES);
  return resolved;
}

const DNS_CONFIG_RULES: readonly Rule<ResolvedDNSConfigProps>[] = [
  (p) => checkObjectName(p.name, 'name'),
  (p) =>
    IMAGE_REPO_PATTERN.test(p.image.repo)
      ? undefined
      : {
          field: 'image.repo',
          value: p.image.repo,
          allowed:
            'an image repository such as "tailscale/k8s-nameserver" or "registry.example.com/k8s-nameserver"',
        },
  (p) =>
    IMAGE_TAG_PATTERN.test(p.image.tag)
      ? undefined
      : { field: 'image.tag', value: p.image.tag, allowed: 'an image tag such as "v1.102.3"' },
  (p) => checkReplicas(p.replicas),
  (p) => (p.clusterIP === undefined ? undefined : checkClusterIP(p.clusterIP)),
  (p) => checkNodeSelector(p.nodeSelector),
  (p) =>
    p.coreDnsStub && p.clusterIP === undefined
      ? {
          field: 'coreDnsStub',
          value: p.coreDnsStub,
          allowed: "absent unless `clusterIP` is set: the stub forwards to the nameserver's fixed address",
          hint: "set `clusterIP` to a free address in the cluster's Service range",
        }
      : undefined,
  (p) => (p.coreDnsStub ? checkCoreDnsStub(p.coreDnsStub) : undefined),
  (p) =>
    checkKubeFields([
      { field: 'tolerations', type: 'Toleration', value: p.tolerations, list: true },
      { field: 'affinity', type: 'Affinity', value: p.affinity },
    ]),
];

/** One IPv4 or IPv6 address (not `None`: the nameserver's Service is not headless). */
function checkClusterIP(value: string): Violation | undefined {
  const valid = value.includes(':')
    ? ipaddr.IPv6.isValid(value) && !value.includes('%')
    : ipaddr.IPv4.isValidFourPartDecimal(value);
  if (valid) return undefined;
  return {
    field: 'clusterIP',
    value,
    allowed: 'one IPv4 or IPv6 address in the cluster\'s Service range, such as "10.96.0.53"',
  };
}

function checkNodeSelector(selector: Readonly<Record<string, string>> | undefined): Violation | undefined {
  for (const [key, value] of Object.entries(selector ?? {})) {
    if (!LABEL_KEY_PATTERN.test(key) || key.length > 317) {
      return {
        field: 'nodeSelector',
        value: key,
        allowed: 'label keys such as "kubernetes.io/os" or "node-role.kubernetes.io/infra"',
      };
    }
    const bad = checkLabelValue(value, `nodeSelector["${key}"]`);
    if (bad) return bad;
  }
  return undefined;
}

function checkCoreDnsStub(stub: Required<CoreDnsStubOptions>): Violation | undefined {
  const name = checkObjectName(stub.configMapName, 'coreDnsStub.configMapName');
  if (name) return name;
  const namespace = checkNamespace(stub.namespace, 'coreDnsStub.namespace');
  if (namespace) return namespace;
  if (CONFIG_MAP_KEY_PATTERN.test(stub.key) && stub.key.endsWith('.server') && stub.key.length <= 253) {
    return undefined;
  }
  return {
    field: 'coreDnsStub.key',
    value: stub.key,
    allowed:
      'a ConfigMap key ending in ".server" (CoreDNS imports only those), such as "tailscale-ts-net.server"',
  };
}
