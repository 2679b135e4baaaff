import {
  keyedRecord,
  TailnetModel,
  UNGRANTED_STAND_IN,
  connectorAllowance,
  connectorHostnames,
  connectorRequirements,
  renderConnector,
  resolveConnectorProps,
  type AllowOptions,
  type ConnectorProps,
  type ResolvedConnectorProps,
} from '../../src/internal';
import { defaultOperatorRequirements, failure } from '../helpers/tailnet';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const HOME_OPS: ConnectorProps = {
  subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
  exitNode: true,
  tags: ['tag:home-ops'],
};

/** The grants one `allow` call adds. */
function connectorGrants(
  source: string,
  props: ResolvedConnectorProps,
  principals: unknown,
  options?: AllowOptions,
) {
  return connectorAllowance(source, props, principals, options).allowance.grants;
}

/** The access one `allow` call means to give or withhold, checked offline. */
function connectorIntendedAccess(props: ResolvedConnectorProps, principals: unknown, options?: AllowOptions) {
  return connectorAllowance("Connector 'x'", props, principals, options).requirements.intendedAccess ?? [];
}

function resolve(props: ConnectorProps, name = 'home-ops'): ResolvedConnectorProps {
  return resolveConnectorProps(`Connector '${name}'`, name, props);
}

/** A tailnet with the operator and the given connectors, sealed. */
function seal(...connectors: [string, ConnectorProps][]) {
  const model = new TailnetModel("Tailnet 'tailnet'");
  model.register(defaultOperatorRequirements());
  for (const [name, props] of connectors) {
    model.register(connectorRequirements(`Connector '${name}'`, resolve(props, name)));
  }
  return model.seal();
}

describe('renderConnector', () => {
  test('a subnet router and exit node: cluster-scoped, tags always rendered', () => {
    expect(renderConnector(resolve(HOME_OPS))).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'Connector',
      metadata: { name: 'home-ops', labels: MANAGED },
      spec: {
        subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
        exitNode: true,
        tags: ['tag:home-ops'],
      },
    });
  });

  test('the default tags are rendered, so the approvals match the device', () => {
    expect(renderConnector(resolve({ exitNode: true }))['spec']).toStrictEqual({
      exitNode: true,
      tags: ['tag:k8s'],
    });
  });

  test('an app connector renders its routes, never its domains (they live in the policy)', () => {
    expect(
      renderConnector(
        resolve({ appConnector: { domains: ['github.com'], routes: ['192.0.2.0/24'] }, hostname: 'gh' }),
      )['spec'],
    ).toStrictEqual({ appConnector: { routes: ['192.0.2.0/24'] }, hostname: 'gh', tags: ['tag:k8s'] });
    expect(renderConnector(resolve({ appConnector: { domains: ['github.com'] } }))['spec']).toStrictEqual({
      appConnector: {},
      tags: ['tag:k8s'],
    });
  });

  test('hostname prefix, replicas and ProxyClass', () => {
    expect(
      renderConnector(
        resolve({ exitNode: true, hostnamePrefix: 'exit', replicas: 2, proxyClass: { name: 'prod' } }),
      )['spec'],
    ).toStrictEqual({
      exitNode: true,
      hostnamePrefix: 'exit',
      replicas: 2,
      tags: ['tag:k8s'],
      proxyClass: 'prod',
    });
  });
});

describe('connectorHostnames', () => {
  test.each<[string, ConnectorProps, string[]]>([
    ['the operator default', { exitNode: true }, ['home-ops-connector']],
    ['an explicit hostname', { exitNode: true, hostname: 'home' }, ['home']],
    [
      'one per replica with a prefix',
      { exitNode: true, hostnamePrefix: 'exit', replicas: 3 },
      ['exit-0', 'exit-1', 'exit-2'],
    ],
    ['the same for every replica without a prefix', { exitNode: true, replicas: 2 }, ['home-ops-connector']],
    ['none without replicas', { exitNode: true, replicas: 0 }, []],
  ])('%s', (_name, props, expected) => {
    expect(connectorHostnames(resolve(props))).toStrictEqual(expected);
  });
});

describe('connectorRequirements', () => {
  test('routes and exit node approved for exactly the tags', () => {
    expect(connectorRequirements("Connector 'home-ops'", resolve(HOME_OPS))).toStrictEqual({
      source: "Connector 'home-ops'",
      proxyTags: ['tag:home-ops'],
      autoApprovers: {
        routes: keyedRecord([
          ['10.244.0.0/16', ['tag:home-ops']],
          ['10.96.0.0/12', ['tag:home-ops']],
          ['192.168.0.0/24', ['tag:home-ops']],
        ]),
        exitNode: ['tag:home-ops'],
      },
      claims: [
        { kind: 'cluster-object', field: 'name', objectKind: 'Connector', name: 'home-ops' },
        { kind: 'hostname', field: 'hostname', hostname: 'home-ops-connector' },
        {
          kind: 'route',
          field: 'subnetRouter.advertiseRoutes',
          route: '10.244.0.0/16',
          highAvailability: false,
        },
        {
          kind: 'route',
          field: 'subnetRouter.advertiseRoutes',
          route: '10.96.0.0/12',
          highAvailability: false,
        },
        {
          kind: 'route',
          field: 'subnetRouter.advertiseRoutes',
          route: '192.168.0.0/24',
          highAvailability: false,
        },
      ],
    });
  });

  test('an exit node alone approves no routes', () => {
    expect(connectorRequirements("Connector 'exit'", resolve({ exitNode: true }, 'exit'))).toStrictEqual({
      source: "Connector 'exit'",
      proxyTags: ['tag:k8s'],
      autoApprovers: { exitNode: ['tag:k8s'] },
      claims: [
        { kind: 'cluster-object', field: 'name', objectKind: 'Connector', name: 'exit' },
        { kind: 'hostname', field: 'hostname', hostname: 'exit-connector' },
      ],
    });
  });

  test('an app connector: discovered routes approved, domains in nodeAttrs for the clients', () => {
    const props = resolve(
      { appConnector: { domains: ['github.com', '*.github.com'] }, tags: ['tag:gh'] },
      'gh',
    );
    expect(connectorRequirements("Connector 'gh'", props)).toStrictEqual({
      source: "Connector 'gh'",
      proxyTags: ['tag:gh'],
      autoApprovers: {
        routes: keyedRecord([
          ['0.0.0.0/0', ['tag:gh']],
          ['::/0', ['tag:gh']],
        ]),
      },
      nodeAttrs: [
        {
          target: ['*'],
          app: {
            'tailscale.com/app-connectors': [
              { name: 'gh', connectors: ['tag:gh'], domains: ['*.github.com', 'github.com'] },
            ],
          },
        },
      ],
      claims: [
        { kind: 'cluster-object', field: 'name', objectKind: 'Connector', name: 'gh' },
        { kind: 'hostname', field: 'hostname', hostname: 'gh-connector' },
      ],
    });
  });

  test('an app connector with preconfigured routes approves only those', () => {
    const props = resolve(
      {
        appConnector: {
          domains: ['example.com'],
          routes: ['192.0.2.0/24'],
          name: 'example-app',
          clients: ['group:eng'],
        },
      },
      'app',
    );
    const req = connectorRequirements("Connector 'app'", props);
    expect(req.autoApprovers).toStrictEqual({ routes: keyedRecord([['192.0.2.0/24', ['tag:k8s']]]) });
    expect(req.nodeAttrs).toStrictEqual([
      {
        target: ['group:eng'],
        app: {
          'tailscale.com/app-connectors': [
            {
              name: 'example-app',
              connectors: ['tag:k8s'],
              domains: ['example.com'],
              routes: ['192.0.2.0/24'],
            },
          ],
        },
      },
    ]);
  });
});

describe('connectorGrants', () => {
  test('to the routes, and to the internet via the tags for an exit node', () => {
    expect(connectorGrants("Connector 'home-ops'", resolve(HOME_OPS), ['group:family'])).toStrictEqual([
      {
        src: ['group:family'],
        dst: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'],
        ip: ['*'],
      },
      { src: ['group:family'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:home-ops'] },
    ]);
  });

  test('narrowed to the ports asked for', () => {
    expect(
      connectorGrants(
        "Connector 'r'",
        resolve({ subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } }, 'r'),
        ['alice@example.com'],
        { ports: ['tcp:443'] },
      ),
    ).toStrictEqual([{ src: ['alice@example.com'], dst: ['10.0.0.0/8'], ip: ['tcp:443'] }]);
  });

  test('an app connector: to the internet via its tags', () => {
    expect(
      connectorGrants("Connector 'gh'", resolve({ appConnector: { domains: ['github.com'] } }, 'gh'), [
        'group:eng',
      ]),
    ).toStrictEqual([{ src: ['group:eng'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:k8s'] }]);
  });

  test.each<[string, unknown, AllowOptions, Record<string, unknown>]>([
    [
      'no principal is given',
      [],
      {},
      {
        field: 'principals',
        value: [],
        allowed: 'a non-empty array of principals (selectors such as "group:eng", or constructs)',
      },
    ],
    [
      'a JavaScript caller passes one string',
      'group:family',
      {},
      {
        field: 'principals',
        value: 'group:family',
        allowed: 'a non-empty array of principals (selectors such as "group:eng", or constructs)',
      },
    ],
    [
      'a port spec is malformed',
      ['group:family'],
      { ports: ['https'] },
      {
        field: 'ports[0]',
        value: 'https',
        allowed:
          'a port (1-65535) or a grant protocol and ports such as "*", "tcp:443", "udp:53" or "tcp:8000-8100"',
      },
    ],
    [
      'a port is out of range',
      ['group:family'],
      { ports: ['tcp:70000'] },
      {
        field: 'ports[0]',
        value: 'tcp:70000',
        allowed:
          'a port (1-65535) or a grant protocol and ports such as "*", "tcp:443", "udp:53" or "tcp:8000-8100"',
      },
    ],
  ])('fails when %s', (_name, principals, options, expected) => {
    const error = failure(() =>
      connectorGrants("Connector 'home-ops'", resolve(HOME_OPS), principals, options),
    );
    expect({ field: error.field, value: error.value, allowed: error.allowed }).toStrictEqual(expected);
    expect(error.path).toBe("Connector 'home-ops'");
  });

  test('fails when a principal is a bare name, suggesting a group', () => {
    expect(failure(() => connectorGrants("Connector 'x'", resolve(HOME_OPS), ['family'])).message).toContain(
      'did you mean "group:family"?',
    );
  });
});

describe('connectorIntendedAccess', () => {
  test('each principal reaches an address inside every route and the internet; members do not', () => {
    // GIVEN the home-ops subnet router and exit node, allowed to group:family on every port
    // WHEN / THEN: one address per route, the internet, on the representative port 443
    const allow = (dst: string) => ({ src: 'group:family', dst, port: 443, expect: 'allow' });
    const deny = (dst: string) => ({ src: 'autogroup:member', dst, port: 443, expect: 'deny' });
    expect(connectorIntendedAccess(resolve(HOME_OPS), ['group:family'])).toStrictEqual(
      ['10.244.0.1', '10.96.0.1', '192.168.0.1', 'autogroup:internet'].flatMap((dst) => [
        allow(dst),
        deny(dst),
      ]),
    );
  });

  test.each<[string, readonly string[], readonly string[]]>([
    [
      'the first port of each TCP spec',
      ['tcp:22', 'tcp:8000-8100', '443'],
      ['tcp:22', 'tcp:443', 'tcp:8000'],
    ],
    ['443 for every port', ['tcp:*'], ['tcp:443']],
    ['UDP over UDP, and nothing for ICMP only', ['udp:53', 'icmp:*'], ['udp:53']],
    ['TCP where a spec admits both', ['53', 'udp:5353'], ['tcp:53', 'udp:5353']],
  ])('checks %s', (_, ip, ports) => {
    const intents = connectorIntendedAccess(
      resolve({ subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } }, 'r'),
      ['alice@example.com'],
      { ports: ip },
    );
    expect([...new Set(intents.map((intent) => `${intent.proto ?? 'tcp'}:${intent.port}`))]).toStrictEqual(
      ports,
    );
  });

  test('an address inside a /32 and an IPv6 route is the route itself or its first host', () => {
    const intents = connectorIntendedAccess(
      resolve({ subnetRouter: { advertiseRoutes: ['192.168.1.7/32', 'fd00:1::/64'] } }, 'r'),
      ['tag:ci'],
    );
    expect(intents.map((intent) => `${intent.src} ${intent.dst}`)).toStrictEqual([
      'tag:ci 192.168.1.7',
      'autogroup:member 192.168.1.7',
      'tag:ci fd00:1::1',
      'autogroup:member fd00:1::1',
    ]);
  });

  test.each<[string, readonly string[], string | undefined]>([
    [
      'members are allowed: an ungranted tagged device must not get in',
      ['autogroup:member'],
      UNGRANTED_STAND_IN,
    ],
    [
      'members and a tag are allowed: other tags must not',
      ['autogroup:member', 'tag:ci'],
      UNGRANTED_STAND_IN,
    ],
    ['members and every tagged device are allowed', ['autogroup:member', 'autogroup:tagged'], undefined],
    ['everyone is allowed', ['*'], undefined],
  ])('denies an outsider unless %s', (_, principals, denied) => {
    const intents = connectorIntendedAccess(
      resolve({ subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } }, 'r'),
      principals,
    );
    expect(intents.filter((intent) => intent.expect === 'deny').map((intent) => intent.src)).toStrictEqual(
      denied === undefined ? [] : [denied],
    );
  });

  test('role autogroups are checked like any principal; an app connector with discovered routes has no intent', () => {
    const router = resolve({ subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } }, 'r');
    expect(connectorIntendedAccess(router, ['autogroup:admin']).map((i) => i.src)).toStrictEqual([
      'autogroup:admin',
      'autogroup:member',
    ]);
    const discovering = resolve({ appConnector: { domains: ['github.com'] } }, 'gh');
    expect(connectorIntendedAccess(discovering, ['group:eng'])).toStrictEqual([]);
    const preconfigured = resolve(
      { appConnector: { domains: ['github.com'], routes: ['140.82.112.0/20'] } },
      'gh',
    );
    expect(connectorIntendedAccess(preconfigured, ['group:eng']).map((i) => i.dst)).toStrictEqual([
      '140.82.112.1',
      '140.82.112.1',
    ]);
  });
});

describe('allow, verified in the tailnet', () => {
  const BASE = '{"groups": {"group:family": ["kid@example.com"], "group:eng": ["alice@example.com"]}}';

  function sealAllowing(props: ConnectorProps, name: string, principals: readonly string[], base = BASE) {
    const model = new TailnetModel("Tailnet 'tailnet'", { allowAll: 'deny', basePolicy: base });
    const resolved = resolve(props, name);
    const source = `Connector '${name}'`;
    model.register(connectorRequirements(source, resolved));
    model.register(connectorAllowance(source, resolved, principals).requirements);
    return model;
  }

  const withTags = (props: ConnectorProps): ConnectorProps => ({ ...props, tags: ['tag:home-ops'] });
  const OWNED = '{"groups": {"group:family": ["kid@example.com"]}, "tagOwners": {"tag:home-ops": []}}';

  test('the grants give exactly the access meant: routes and exit node', () => {
    expect(() => sealAllowing(withTags(HOME_OPS), 'home-ops', ['group:family'], OWNED).seal()).not.toThrow();
  });

  test('the grants of a preconfigured app connector reach its routes via its tags', () => {
    const app = withTags({ appConnector: { domains: ['github.com'], routes: ['140.82.112.0/20'] } });
    expect(() => sealAllowing(app, 'gh', ['group:family'], OWNED).seal()).not.toThrow();
  });

  test('fails when the base policy lets every member through the exit node, naming the Connector', () => {
    const open =
      '{"groups": {"group:family": ["kid@example.com"]}, "tagOwners": {"tag:home-ops": []},' +
      ' "grants": [{"src": ["autogroup:member"], "dst": ["autogroup:internet"], "ip": ["*"]}]}';
    const error = failure(() => sealAllowing(withTags(HOME_OPS), 'home-ops', ['group:family'], open).seal());
    expect(error.path).toBe("Connector 'home-ops'");
    expect(error.value).toStrictEqual({
      src: 'autogroup:member',
      dst: 'autogroup:internet',
      port: 443,
      expect: 'deny',
    });
  });
});

describe('in the tailnet', () => {
  test('the policy approves the routes and exit node for exactly the tags, owned by the operator', () => {
    const { document } = seal(['home-ops', HOME_OPS]);
    expect(document.tagOwners).toStrictEqual({
      'tag:home-ops': ['tag:k8s-operator'],
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-operator': [],
    });
    expect(document.autoApprovers).toStrictEqual({
      routes: {
        '10.244.0.0/16': ['tag:home-ops'],
        '10.96.0.0/12': ['tag:home-ops'],
        '192.168.0.0/24': ['tag:home-ops'],
      },
      exitNode: ['tag:home-ops'],
    });
    expect(document.grants ?? []).toStrictEqual([]);
  });

  test('two Connectors marked for HA share a route; approvals take both tags', () => {
    const { document } = seal(
      ['a', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] }, tags: ['tag:a'], highAvailability: true }],
      ['b', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] }, tags: ['tag:b'], highAvailability: true }],
    );
    expect(document.autoApprovers).toStrictEqual({ routes: { '10.0.0.0/8': ['tag:a', 'tag:b'] } });
  });

  test('fails when two Connectors advertise the same route without HA', () => {
    const error = failure(() =>
      seal(
        ['a', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] }, highAvailability: true }],
        ['b', { subnetRouter: { advertiseRoutes: ['192.168.0.0/24', '10.0.0.0/8'] } }],
      ),
    );
    expect({
      path: error.path,
      field: error.field,
      value: error.value,
      allowed: error.allowed,
    }).toStrictEqual({
      path: "Connector 'b'",
      field: 'subnetRouter.advertiseRoutes',
      value: '10.0.0.0/8',
      allowed:
        'a route no other construct in the program advertises, unless both are meant as a high-availability pair',
    });
    expect(error.message).toContain(
      "Connector 'a' advertises it too; set `highAvailability: true` on both if that is intended",
    );
  });

  test('overlapping but different routes are fine', () => {
    expect(() =>
      seal(
        ['a', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } }],
        ['b', { subnetRouter: { advertiseRoutes: ['10.1.0.0/16'] } }],
      ),
    ).not.toThrow();
  });

  test('fails when two Connectors ask for the same hostname', () => {
    const error = failure(() =>
      seal(['a', { exitNode: true, hostname: 'exit' }], ['b', { exitNode: true, hostname: 'exit' }]),
    );
    expect({ path: error.path, field: error.field, value: error.value }).toStrictEqual({
      path: "Connector 'b'",
      field: 'hostname',
      value: 'exit',
    });
  });
});
