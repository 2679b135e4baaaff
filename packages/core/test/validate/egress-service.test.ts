import {
  MAX_EGRESS_PORTS_PER_PROXY_GROUP,
  TAILNET_FQDN_PATTERN,
  TailnetModel,
  ValidationError,
  egressServiceRequirements,
  resolveEgressServiceProps,
  type EgressServiceProps,
  type TailnetRequirements,
  type IProxyGroup,
  type ProxyGroupType,
} from '../../src/internal';
import { failure as sealFailure } from '../helpers/tailnet';

const PATH = "EgressService 'apps/db'";
const DEFAULTS = { name: 'db', namespace: 'apps' };
const FQDN = 'db.example-tailnet.ts.net';
const POSTGRES = [{ port: 5432, name: 'postgres' }];
const EGRESS_GROUP: IProxyGroup<'egress'> = {
  name: 'egress',
  proxyGroupType: 'egress',
  tags: ['tag:k8s-egress'],
  replicas: 2,
};
const FQDN_ALLOWED =
  'a MagicDNS name "<device>.<tailnet>.ts.net" (the operator refuses deeper names and custom control server domains)';
const ADDRESS_ALLOWED = 'one IPv4 or IPv6 address, not a CIDR';

function failure(props: EgressServiceProps): ValidationError {
  try {
    resolveEgressServiceProps(PATH, DEFAULTS, props);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

/** A group of another type, as a JavaScript caller (or a cast) could pass one. */
function groupOfType(type: ProxyGroupType): IProxyGroup<'egress'> {
  return { ...EGRESS_GROUP, name: type, proxyGroupType: type } as unknown as IProxyGroup<'egress'>;
}

describe('the operator rule for tailnet-fqdn', () => {
  test('is the one in the operator source', () => {
    expect(TAILNET_FQDN_PATTERN.source).toBe('^[a-zA-Z0-9-]+\\.[a-zA-Z0-9-]+\\.ts\\.net\\.?$');
  });
});

describe('defaults', () => {
  test('a standalone FQDN target: the name, namespace, default tags and cluster domain', () => {
    expect(
      resolveEgressServiceProps(PATH, DEFAULTS, {
        tailnetFqdn: FQDN,
        policyTarget: 'tag:db',
        ports: POSTGRES,
      }),
    ).toStrictEqual({
      tailnetFqdn: FQDN,
      policyTarget: 'tag:db',
      ports: POSTGRES,
      name: 'db',
      namespace: 'apps',
      proxyTags: ['tag:k8s'],
      clusterDomain: 'cluster.local',
    });
  });

  test('an IP target is its own policy target, in canonical form', () => {
    const resolved = resolveEgressServiceProps(PATH, DEFAULTS, {
      tailnetIp: 'FD7A:115C:A1E0::0005',
      ports: POSTGRES,
    });
    expect(resolved.policyTarget).toBe('fd7a:115c:a1e0::5');
  });

  test('on a ProxyGroup the proxy tags are the group devices tags', () => {
    const resolved = resolveEgressServiceProps(PATH, DEFAULTS, {
      tailnetFqdn: FQDN,
      policyTarget: 'tag:db',
      ports: POSTGRES,
      proxyGroup: EGRESS_GROUP,
    });
    expect(resolved.proxyTags).toStrictEqual(['tag:k8s-egress']);
  });

  test.each<[string, EgressServiceProps]>([
    [
      'an FQDN with a final dot and capitals',
      { tailnetFqdn: 'DB.Example.ts.net.', policyTarget: 'tag:db', ports: POSTGRES },
    ],
    ['an IPv4 target', { tailnetIp: '100.100.12.7', ports: POSTGRES }],
    ['an IPv6 target', { tailnetIp: 'fd7a:115c:a1e0::5', ports: POSTGRES }],
    ['a host alias as policy target', { tailnetFqdn: FQDN, policyTarget: 'db-primary', ports: POSTGRES }],
    ['an IP as policy target', { tailnetFqdn: FQDN, policyTarget: '100.100.12.7', ports: POSTGRES }],
    ['a tag for an IP target', { tailnetIp: '100.100.12.7', policyTarget: 'tag:db', ports: POSTGRES }],
    ['one unnamed port', { tailnetIp: '100.100.12.7', ports: [{ port: 53, protocol: 'UDP' }] }],
    [
      'the same port over TCP and UDP',
      {
        tailnetIp: '100.100.12.7',
        ports: [
          { port: 53, name: 'dns-tcp' },
          { port: 53, name: 'dns-udp', protocol: 'UDP' },
        ],
      },
    ],
    [
      'standalone settings',
      {
        tailnetIp: '100.100.12.7',
        ports: POSTGRES,
        tags: ['tag:db-client'],
        hostname: 'db-egress',
        proxyClass: { name: 'prod' },
        clusterDomain: 'k8s.internal',
      },
    ],
  ])('accepts %s', (_name, props) => {
    expect(() => resolveEgressServiceProps(PATH, DEFAULTS, props)).not.toThrow();
  });
});

describe('rules', () => {
  test.each<[string, EgressServiceProps, ReturnType<typeof fields>]>([
    [
      'both targets are set',
      { tailnetFqdn: FQDN, tailnetIp: '100.100.12.7', ports: POSTGRES },
      {
        path: PATH,
        field: 'tailnetIp',
        value: '100.100.12.7',
        allowed: 'absent when `tailnetFqdn` is set: a Service forwards to one target',
      },
    ],
    [
      'no target is set',
      { ports: POSTGRES },
      {
        path: PATH,
        field: 'tailnetFqdn',
        value: undefined,
        allowed: 'set, or `tailnetIp` set: the Service needs a tailnet target',
      },
    ],
    [
      'the FQDN has a third label',
      { tailnetFqdn: 'db.prod.example.ts.net', policyTarget: 'tag:db', ports: POSTGRES },
      { path: PATH, field: 'tailnetFqdn', value: 'db.prod.example.ts.net', allowed: FQDN_ALLOWED },
    ],
    [
      'the FQDN is on a custom control server domain',
      { tailnetFqdn: 'db.example.headscale.net', policyTarget: 'tag:db', ports: POSTGRES },
      { path: PATH, field: 'tailnetFqdn', value: 'db.example.headscale.net', allowed: FQDN_ALLOWED },
    ],
    [
      'the IP is a CIDR',
      { tailnetIp: '100.64.0.0/10', ports: POSTGRES },
      { path: PATH, field: 'tailnetIp', value: '100.64.0.0/10', allowed: ADDRESS_ALLOWED },
    ],
    [
      'the IP has leading zeros',
      { tailnetIp: '100.064.0.1', ports: POSTGRES },
      { path: PATH, field: 'tailnetIp', value: '100.064.0.1', allowed: ADDRESS_ALLOWED },
    ],
    [
      'the IP has a zone',
      { tailnetIp: 'fe80::1%eth0', ports: POSTGRES },
      { path: PATH, field: 'tailnetIp', value: 'fe80::1%eth0', allowed: ADDRESS_ALLOWED },
    ],
    [
      'an FQDN target has no policy target',
      { tailnetFqdn: FQDN, ports: POSTGRES },
      {
        path: PATH,
        field: 'policyTarget',
        value: undefined,
        allowed:
          'a tag, host alias or IP naming the target in the tailnet policy (required with `tailnetFqdn`: a grant cannot name a MagicDNS name)',
      },
    ],
    [
      'the policy target is a group',
      { tailnetFqdn: FQDN, policyTarget: 'group:dbs', ports: POSTGRES },
      {
        path: PATH,
        field: 'policyTarget',
        value: 'group:dbs',
        allowed:
          'a tag such as "tag:db", a host alias from the policy\'s `hosts` such as "db", or one IP address',
      },
    ],
    [
      'the policy target is a CIDR',
      { tailnetFqdn: FQDN, policyTarget: '100.64.0.0/24', ports: POSTGRES },
      { path: PATH, field: 'policyTarget', value: '100.64.0.0/24', allowed: ADDRESS_ALLOWED },
    ],
    [
      'the policy target is a bad tag',
      { tailnetFqdn: FQDN, policyTarget: 'tag:1db', ports: POSTGRES },
      {
        path: PATH,
        field: 'policyTarget',
        value: 'tag:1db',
        allowed: 'a tag such as "tag:k8s" (letters, digits and dashes after "tag:", starting with a letter)',
      },
    ],
    [
      'there are no ports, standalone',
      { tailnetIp: '100.100.12.7', ports: [] },
      {
        path: PATH,
        field: 'ports',
        value: [],
        allowed:
          'at least one port: the grant from the proxy to the target covers exactly the declared ports',
      },
    ],
    [
      'there are no ports on a ProxyGroup',
      { tailnetIp: '100.100.12.7', ports: [], proxyGroup: EGRESS_GROUP },
      {
        path: PATH,
        field: 'ports',
        value: [],
        allowed: 'at least one port: an egress ProxyGroup forwards only the ports the Service declares',
      },
    ],
    [
      'a port is out of range',
      { tailnetIp: '100.100.12.7', ports: [{ port: 65536 }] },
      { path: PATH, field: 'ports[0].port', value: 65536, allowed: 'a port number from 1 to 65535' },
    ],
    [
      'a port protocol is SCTP',
      { tailnetIp: '100.100.12.7', ports: [{ port: 5432, protocol: 'SCTP' as 'TCP' }] },
      { path: PATH, field: 'ports[0].protocol', value: 'SCTP', allowed: 'one of "TCP", "UDP"' },
    ],
    [
      'one of several ports has no name',
      { tailnetIp: '100.100.12.7', ports: [{ port: 5432, name: 'postgres' }, { port: 5433 }] },
      {
        path: PATH,
        field: 'ports[1].name',
        value: undefined,
        allowed: 'a port name: Kubernetes requires one on every port of a Service with several',
      },
    ],
    [
      'a port name is not a DNS label',
      { tailnetIp: '100.100.12.7', ports: [{ port: 5432, name: 'Postgres_1' }] },
      {
        path: PATH,
        field: 'ports[0].name',
        value: 'Postgres_1',
        allowed:
          'a port name: at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit',
      },
    ],
    [
      'two ports share a name',
      {
        tailnetIp: '100.100.12.7',
        ports: [
          { port: 5432, name: 'pg' },
          { port: 5433, name: 'pg' },
        ],
      },
      { path: PATH, field: 'ports.name[1]', value: 'pg', allowed: 'a port name used once in the Service' },
    ],
    [
      'a port and protocol is listed twice',
      {
        tailnetIp: '100.100.12.7',
        ports: [
          { port: 5432, name: 'a' },
          { port: 5432, name: 'b' },
        ],
      },
      { path: PATH, field: 'ports[1]', value: 'TCP/5432', allowed: 'each port and protocol listed once' },
    ],
    [
      'the ProxyGroup is an ingress group',
      { tailnetIp: '100.100.12.7', ports: POSTGRES, proxyGroup: groupOfType('ingress') },
      {
        path: PATH,
        field: 'proxyGroup.proxyGroupType',
        value: 'ingress',
        allowed: '"egress": an egress Service runs on an egress ProxyGroup',
      },
    ],
    [
      'tags are set on a ProxyGroup Service',
      { tailnetIp: '100.100.12.7', ports: POSTGRES, proxyGroup: EGRESS_GROUP, tags: ['tag:db-client'] },
      {
        path: PATH,
        field: 'tags',
        value: ['tag:db-client'],
        allowed: "absent when `proxyGroup` is set: the group's devices carry the traffic",
      },
    ],
    [
      'a ProxyClass is set on a ProxyGroup Service',
      { tailnetIp: '100.100.12.7', ports: POSTGRES, proxyGroup: EGRESS_GROUP, proxyClass: { name: 'prod' } },
      {
        path: PATH,
        field: 'proxyClass',
        value: 'prod',
        allowed: "absent when `proxyGroup` is set: the group's devices carry the traffic",
      },
    ],
    [
      'tags are empty',
      { tailnetIp: '100.100.12.7', ports: POSTGRES, tags: [] },
      {
        path: PATH,
        field: 'tags',
        value: [],
        allowed: 'at least one tag (leave `tags` out for ["tag:k8s"])',
      },
    ],
    [
      'the name is not a Service name',
      { name: '1db', tailnetIp: '100.100.12.7', ports: POSTGRES },
      {
        path: PATH,
        field: 'name',
        value: '1db',
        allowed:
          'a Service name: at most 63 lower-case letters, digits and dashes, starting with a letter and ending with a letter or digit',
      },
    ],
    [
      'the default hostname is longer than a DNS label',
      { name: `db-${'x'.repeat(58)}`, tailnetIp: '100.100.12.7', ports: POSTGRES },
      {
        path: PATH,
        field: 'name',
        value: `db-${'x'.repeat(58)}`,
        allowed: 'a name whose device hostname "<namespace>-<name>" has at most 63 characters',
      },
    ],
  ])('fails when %s', (_name, props, expected) => {
    expect(fields(failure(props))).toStrictEqual(expected);
  });

  test('fails with a hint when the FQDN is an address or a short name', () => {
    expect(failure({ tailnetFqdn: '100.100.12.7', policyTarget: 'tag:db', ports: POSTGRES }).message).toBe(
      `${PATH}: \`tailnetFqdn\` must be ${FQDN_ALLOWED}, got "100.100.12.7"; an address goes in \`tailnetIp\``,
    );
    expect(failure({ tailnetFqdn: 'db', policyTarget: 'tag:db', ports: POSTGRES }).message).toContain(
      'did you mean "db.<tailnet>.ts.net"?',
    );
  });

  test('fails with a hint when the IP is a single-address CIDR', () => {
    expect(failure({ tailnetIp: '100.100.12.7/32', ports: POSTGRES }).message).toBe(
      `${PATH}: \`tailnetIp\` must be ${ADDRESS_ALLOWED}, got "100.100.12.7/32"; did you mean "100.100.12.7"?`,
    );
  });

  test('fails when one Service maps more ports than a ProxyGroup holds', () => {
    expect(MAX_EGRESS_PORTS_PER_PROXY_GROUP).toBe(999);
    const ports = Array.from({ length: MAX_EGRESS_PORTS_PER_PROXY_GROUP + 1 }, (_, i) => ({
      port: 1000 + i,
      name: `p${i}`,
    }));
    expect(fields(failure({ tailnetIp: '100.100.12.7', ports, proxyGroup: EGRESS_GROUP }))).toStrictEqual({
      path: PATH,
      field: 'ports',
      value: '1000 ports',
      allowed:
        "at most 999 ports on one ProxyGroup (the operator's limit of 1000, less the health check's port)",
    });
  });
});

describe('ports on one ProxyGroup across Services', () => {
  const ports = (count: number, from: number) =>
    Array.from({ length: count }, (_, i) => ({ port: from + i, name: `p${from + i}` }));
  const service = (name: string, count: number, from: number, group = EGRESS_GROUP) =>
    egressServiceRequirements(
      `EgressService '${name}'`,
      resolveEgressServiceProps(
        `EgressService '${name}'`,
        { name, namespace: 'apps' },
        { tailnetIp: '100.100.12.7', ports: ports(count, from), proxyGroup: group },
      ),
    );
  const seal = (...requirements: TailnetRequirements[]) => {
    const tailnet = new TailnetModel("Tailnet 'app'", {
      basePolicy: '{"tagOwners": {"tag:k8s-egress": []}, "grants": []}',
    });
    for (const req of requirements) tailnet.register(req);
    return tailnet.seal();
  };

  test('counts ports per ProxyGroup across Services, up to the limit', () => {
    // Another group has its own budget; standalone Services have none.
    expect(() =>
      seal(
        service('a', 600, 1000),
        service('b', 399, 2000),
        service('c', 600, 1000, { ...EGRESS_GROUP, name: 'other' }),
      ),
    ).not.toThrow();
  });

  test('fails when the Services on one ProxyGroup map 1000 ports: the health check takes one', () => {
    const error = sealFailure(() => seal(service('a', 600, 1000), service('b', 400, 2000)));
    expect(fields(error)).toStrictEqual({
      path: "EgressService 'b'",
      field: 'ports',
      value: '400 ports',
      allowed: 'ports that keep ProxyGroup "egress" at 999 or fewer (the operator\'s limit)',
    });
    expect(error.message).toContain("EgressService 'a' map 600 ports on it already");
  });

  test('counts one port as one port', () => {
    const error = sealFailure(() => seal(service('a', 999, 1000), service('b', 1, 3000)));
    expect(error.value).toBe('1 port');
    expect(error.message).toContain("EgressService 'a' map 999 ports on it already");
  });
});
