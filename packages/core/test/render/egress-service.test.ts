import {
  TailnetModel,
  canConnect,
  egressServiceDnsName,
  egressServiceGrant,
  egressServiceHostnames,
  egressServiceRequirements,
  renderEgressService,
  resolveEgressServiceProps,
  type EgressServiceProps,
  type IProxyGroup,
  type ResolvedEgressServiceProps,
} from '../../src/internal';
import { defaultOperatorRequirements, failure } from '../helpers/tailnet';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const FQDN = 'db.example-tailnet.ts.net';
const EGRESS_GROUP: IProxyGroup<'egress'> = {
  name: 'egress',
  proxyGroupType: 'egress',
  tags: ['tag:k8s-egress'],
  replicas: 2,
};
const STANDALONE: EgressServiceProps = {
  tailnetFqdn: FQDN,
  policyTarget: 'tag:db',
  ports: [{ port: 5432, name: 'postgres' }],
};
/** The base policy: the admins own the operator's tag and the database's. */
const BASE_POLICY = `{
  "groups": {"group:admins": ["alice@example.com"]},
  "tagOwners": {"tag:db": ["group:admins"], "tag:k8s-egress": ["group:admins"]},
  "hosts": {"db-primary": "100.100.12.7"},
}`;

function resolve(props: EgressServiceProps, name = 'db'): ResolvedEgressServiceProps {
  return resolveEgressServiceProps(`EgressService 'apps/${name}'`, { name, namespace: 'apps' }, props);
}

/** A tailnet with the operator and the given egress Services, sealed. */
function seal(services: readonly [string, EgressServiceProps][], basePolicy = BASE_POLICY) {
  const model = new TailnetModel("Tailnet 'tailnet'", { allowAll: 'deny', basePolicy });
  model.register(defaultOperatorRequirements());
  for (const [name, props] of services) {
    model.register(egressServiceRequirements(`EgressService 'apps/${name}'`, resolve(props, name)));
  }
  return model.seal();
}

describe('renderEgressService', () => {
  test('standalone: an ExternalName Service with the FQDN and the tags, in its namespace', () => {
    expect(renderEgressService(resolve(STANDALONE))).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'db',
        namespace: 'apps',
        labels: MANAGED,
        annotations: { 'tailscale.com/tailnet-fqdn': FQDN, 'tailscale.com/tags': 'tag:k8s' },
      },
      spec: {
        type: 'ExternalName',
        externalName: 'placeholder',
        ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
      },
    });
  });

  test('standalone with a hostname, tags and a ProxyClass label', () => {
    const object = renderEgressService(
      resolve({
        tailnetIp: '100.100.12.7',
        ports: [{ port: 53, protocol: 'UDP' }],
        tags: ['tag:dns-client', 'tag:k8s'],
        hostname: 'dns-egress',
        proxyClass: { name: 'prod' },
      }),
    );
    expect(object.metadata).toStrictEqual({
      name: 'db',
      namespace: 'apps',
      labels: { ...MANAGED, 'tailscale.com/proxy-class': 'prod' },
      annotations: {
        'tailscale.com/tailnet-ip': '100.100.12.7',
        'tailscale.com/tags': 'tag:dns-client,tag:k8s',
        'tailscale.com/hostname': 'dns-egress',
      },
    });
    expect(object['spec']).toStrictEqual({
      type: 'ExternalName',
      externalName: 'placeholder',
      ports: [{ port: 53, protocol: 'UDP' }],
    });
  });

  test('on a ProxyGroup: the group annotation, and no tags of its own', () => {
    expect(renderEgressService(resolve({ ...STANDALONE, proxyGroup: EGRESS_GROUP })).metadata).toStrictEqual({
      name: 'db',
      namespace: 'apps',
      labels: MANAGED,
      annotations: { 'tailscale.com/tailnet-fqdn': FQDN, 'tailscale.com/proxy-group': 'egress' },
    });
  });
});

describe('outputs', () => {
  test('the in-cluster DNS name, in the cluster domain', () => {
    expect(egressServiceDnsName(resolve(STANDALONE))).toBe('db.apps.svc.cluster.local');
    expect(egressServiceDnsName(resolve({ ...STANDALONE, clusterDomain: 'k8s.internal' }))).toBe(
      'db.apps.svc.k8s.internal',
    );
  });

  test('a standalone proxy asks for <namespace>-<name> or its hostname; a ProxyGroup Service for none', () => {
    expect(egressServiceHostnames(resolve(STANDALONE))).toStrictEqual(['apps-db']);
    expect(egressServiceHostnames(resolve({ ...STANDALONE, hostname: 'db-egress' }))).toStrictEqual([
      'db-egress',
    ]);
    expect(egressServiceHostnames(resolve({ ...STANDALONE, proxyGroup: EGRESS_GROUP }))).toStrictEqual([]);
  });
});

describe('egressServiceGrant', () => {
  test('from the proxy tags to the target on exactly the declared ports and protocols, sorted', () => {
    const props = resolve({
      tailnetIp: '100.100.12.7',
      ports: [
        { port: 8443, name: 'https' },
        { port: 53, name: 'dns', protocol: 'UDP' },
        { port: 443, name: 'web' },
      ],
      tags: ['tag:k8s', 'tag:a-client'],
    });
    expect(egressServiceGrant(props)).toStrictEqual({
      src: ['tag:a-client', 'tag:k8s'],
      dst: ['100.100.12.7'],
      ip: ['tcp:443', 'tcp:8443', 'udp:53'],
    });
  });

  test('on a ProxyGroup, from the group devices tags', () => {
    expect(egressServiceGrant(resolve({ ...STANDALONE, proxyGroup: EGRESS_GROUP }))).toStrictEqual({
      src: ['tag:k8s-egress'],
      dst: ['tag:db'],
      ip: ['tcp:5432'],
    });
  });
});

describe('egressServiceRequirements', () => {
  test('standalone: tags and hostname, the grant, and each tag reaching each TCP and UDP port', () => {
    expect(
      egressServiceRequirements(
        "EgressService 'apps/db'",
        resolve({
          ...STANDALONE,
          ports: [...STANDALONE.ports, { port: 5433, name: 'dns', protocol: 'UDP' }],
        }),
      ),
    ).toStrictEqual({
      source: "EgressService 'apps/db'",
      proxyTags: ['tag:k8s'],
      claims: [{ kind: 'hostname', field: 'hostname', hostname: 'apps-db' }],
      grants: [{ src: ['tag:k8s'], dst: ['tag:db'], ip: ['tcp:5432', 'udp:5433'] }],
      intendedAccess: [
        { src: 'tag:k8s', dst: 'tag:db', port: 5432, expect: 'allow' },
        { src: 'tag:k8s', dst: 'tag:db', port: 5433, proto: 'udp', expect: 'allow' },
      ],
    });
  });

  test('on a ProxyGroup: no tags or hostnames of its own (the ProxyGroup registers those)', () => {
    expect(
      egressServiceRequirements(
        "EgressService 'apps/db'",
        resolve({ ...STANDALONE, proxyGroup: EGRESS_GROUP }),
      ),
    ).toStrictEqual({
      source: "EgressService 'apps/db'",
      grants: [{ src: ['tag:k8s-egress'], dst: ['tag:db'], ip: ['tcp:5432'] }],
      claims: [
        { kind: 'proxy-group-ports', field: 'ports', proxyGroup: 'egress', ports: 1, limit: 999 },
        {
          kind: 'proxy-group-use',
          field: 'proxyGroup',
          objectKind: 'Service',
          namespace: 'apps',
          proxyGroup: 'egress',
          list: 'egress',
        },
      ],
      intendedAccess: [{ src: 'tag:k8s-egress', dst: 'tag:db', port: 5432, expect: 'allow' }],
    });
  });
});

describe('the derived policy', () => {
  test('grants the proxy tags exactly the declared port on the target', () => {
    // WHEN
    const { document } = seal([
      ['db', STANDALONE],
      ['db-ha', { ...STANDALONE, proxyGroup: EGRESS_GROUP }],
    ]);

    // THEN
    expect(document.grants).toStrictEqual([
      { src: ['tag:k8s'], dst: ['tag:db'], ip: ['tcp:5432'] },
      { src: ['tag:k8s-egress'], dst: ['tag:db'], ip: ['tcp:5432'] },
    ]);
    expect(document.tagOwners?.['tag:k8s']).toStrictEqual(['tag:k8s-operator']);
    for (const from of ['tag:k8s', 'tag:k8s-egress']) {
      expect(canConnect(document, undefined, { from, to: 'tag:db', port: 5432 }).allowed).toBe(true);
      expect(canConnect(document, undefined, { from, to: 'tag:db', port: 5433 }).allowed).toBe(false);
    }
  });

  test('two Services to the same target and port add one grant', () => {
    const { document } = seal([
      ['db', STANDALONE],
      ['db-copy', STANDALONE],
    ]);
    expect(document.grants).toStrictEqual([{ src: ['tag:k8s'], dst: ['tag:db'], ip: ['tcp:5432'] }]);
  });

  test('a host alias the base policy declares, and an IP target, are grant destinations', () => {
    const { document } = seal([
      ['db', { ...STANDALONE, policyTarget: 'db-primary' }],
      ['cache', { tailnetIp: '100.100.12.9', ports: [{ port: 6379 }] }],
    ]);
    expect(document.grants).toStrictEqual([
      { src: ['tag:k8s'], dst: ['100.100.12.9'], ip: ['tcp:6379'] },
      { src: ['tag:k8s'], dst: ['db-primary'], ip: ['tcp:5432'] },
    ]);
  });

  test('fails when the host alias is not declared in the base policy, naming the Service', () => {
    const error = failure(() => seal([['db', { ...STANDALONE, policyTarget: 'db-replica' }]]));
    expect(error.path).toBe("EgressService 'apps/db'");
    expect(error.field).toBe('policy.grants[0].dst[0]');
    expect(error.value).toBe('dst="db-replica": host not found: "db-replica"');
    expect(error.message).toContain('declare what it names (groups, hosts, tags) in the base policy');
  });

  test('fails when the target tag is owned by nobody, naming the Service', () => {
    const error = failure(() => seal([['db', { ...STANDALONE, policyTarget: 'tag:unowned' }]]));
    expect(error.path).toBe("EgressService 'apps/db'");
    expect(error.field).toMatch(/^policy\.grants\[0\]/);
  });

  test('fails when two standalone proxies ask for the same hostname', () => {
    const error = failure(() =>
      seal([
        ['db', { ...STANDALONE, hostname: 'db-egress' }],
        ['db2', { ...STANDALONE, hostname: 'db-egress' }],
      ]),
    );
    expect([error.path, error.field, error.value]).toStrictEqual([
      "EgressService 'apps/db2'",
      'hostname',
      'db-egress',
    ]);
  });
});
