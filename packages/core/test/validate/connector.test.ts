import { ValidationError, resolveConnectorProps, type ConnectorProps } from '../../src/internal';

const PATH = "Connector 'home/home-ops'";
const ROUTE = 'a masked CIDR such as "10.0.0.0/8"';
const TAG = 'a tag such as "tag:k8s" (letters, digits and dashes after "tag:", starting with a letter)';
const OBJECT_NAME = 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots';

/** The error `resolveConnectorProps` throws for `props`. */
function failure(props: ConnectorProps): ValidationError {
  try {
    resolveConnectorProps(PATH, 'home-ops', props);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('defaults', () => {
  test('fills the name, tags, exit node and HA flag', () => {
    expect(resolveConnectorProps(PATH, 'home-ops', { exitNode: true })).toStrictEqual({
      name: 'home-ops',
      exitNode: true,
      tags: ['tag:k8s'],
      highAvailability: false,
    });
  });

  test('keeps what the props set', () => {
    const props: ConnectorProps = {
      name: 'office',
      subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] },
      hostnamePrefix: 'office',
      replicas: 2,
      tags: ['tag:office'],
      proxyClass: { name: 'prod' },
      highAvailability: true,
    };
    expect(resolveConnectorProps(PATH, 'home-ops', props)).toStrictEqual({ ...props, exitNode: false });
  });

  test.each<[string, ConnectorProps]>([
    ['a subnet router', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8', 'fd00::/8'] } }],
    ['an exit node', { exitNode: true }],
    ['both', { subnetRouter: { advertiseRoutes: ['192.168.0.0/24'] }, exitNode: true }],
    ['an app connector', { appConnector: { domains: ['github.com', '*.github.com'] } }],
    [
      'an app connector with routes',
      { appConnector: { domains: ['example.com'], routes: ['192.0.2.0/24'] } },
    ],
    ['a 4via6 route', { subnetRouter: { advertiseRoutes: ['fd7a:115c:a1e0:b1a:0:7:a01:100/120'] } }],
    ['no replicas', { exitNode: true, replicas: 0 }],
    ['a hostname with one replica', { exitNode: true, hostname: 'home-exit', replicas: 1 }],
    ['a prefix with replicas', { exitNode: true, hostnamePrefix: 'exit', replicas: 3 }],
  ])('accepts %s', (_name, props) => {
    expect(() => resolveConnectorProps(PATH, 'home-ops', props)).not.toThrow();
  });
});

describe('rules', () => {
  test.each<[string, ConnectorProps, ReturnType<typeof fields>]>([
    [
      'no role is set',
      {},
      {
        path: PATH,
        field: 'subnetRouter',
        value: undefined,
        allowed: 'set, or `exitNode: true`, or `appConnector` set: a Connector needs at least one role',
      },
    ],
    [
      'exitNode is false and nothing else is set',
      { exitNode: false },
      {
        path: PATH,
        field: 'subnetRouter',
        value: undefined,
        allowed: 'set, or `exitNode: true`, or `appConnector` set: a Connector needs at least one role',
      },
    ],
    [
      'an app connector is also an exit node',
      { exitNode: true, appConnector: { domains: ['github.com'] } },
      {
        path: PATH,
        field: 'appConnector',
        value: { domains: ['github.com'] },
        allowed: 'absent when `subnetRouter` or `exitNode` is set',
      },
    ],
    [
      'an app connector is also a subnet router',
      { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] }, appConnector: { domains: ['github.com'] } },
      {
        path: PATH,
        field: 'appConnector',
        value: { domains: ['github.com'] },
        allowed: 'absent when `subnetRouter` or `exitNode` is set',
      },
    ],
    [
      'hostname is set with replicas above 1',
      { exitNode: true, hostname: 'exit', replicas: 2 },
      { path: PATH, field: 'hostname', value: 'exit', allowed: 'absent when `replicas` is greater than 1' },
    ],
    [
      'hostname and hostnamePrefix are both set',
      { exitNode: true, hostname: 'exit', hostnamePrefix: 'exit' },
      { path: PATH, field: 'hostnamePrefix', value: 'exit', allowed: 'absent when `hostname` is set' },
    ],
    [
      'replicas is negative',
      { exitNode: true, replicas: -1 },
      { path: PATH, field: 'replicas', value: -1, allowed: 'a whole number from 0 to 2147483647' },
    ],
    [
      'replicas is not whole',
      { exitNode: true, replicas: 1.5 },
      { path: PATH, field: 'replicas', value: 1.5, allowed: 'a whole number from 0 to 2147483647' },
    ],
    [
      'advertiseRoutes is empty',
      { subnetRouter: { advertiseRoutes: [] } },
      { path: PATH, field: 'subnetRouter.advertiseRoutes', value: [], allowed: 'at least one route' },
    ],
    [
      'a route has host bits set',
      { subnetRouter: { advertiseRoutes: ['10.96.0.0/12', '10.0.0.1/8'] } },
      { path: PATH, field: 'subnetRouter.advertiseRoutes[1]', value: '10.0.0.1/8', allowed: ROUTE },
    ],
    [
      'a route is the IPv4 default route',
      { subnetRouter: { advertiseRoutes: ['0.0.0.0/0'] } },
      {
        path: PATH,
        field: 'subnetRouter.advertiseRoutes[0]',
        value: '0.0.0.0/0',
        allowed: 'a subnet route, not a default route',
      },
    ],
    [
      'a route is the IPv6 default route',
      { subnetRouter: { advertiseRoutes: ['10.0.0.0/8', '::/0'] } },
      {
        path: PATH,
        field: 'subnetRouter.advertiseRoutes[1]',
        value: '::/0',
        allowed: 'a subnet route, not a default route',
      },
    ],
    [
      'a route is listed twice',
      { subnetRouter: { advertiseRoutes: ['10.0.0.0/8', '10.0.0.0/8'] } },
      { path: PATH, field: 'subnetRouter.advertiseRoutes[1]', value: '10.0.0.0/8', allowed: 'listed once' },
    ],
    [
      'a 4via6 route is shorter than /96',
      { subnetRouter: { advertiseRoutes: ['fd7a:115c:a1e0:b1a::/64'] } },
      {
        path: PATH,
        field: 'subnetRouter.advertiseRoutes[0]',
        value: 'fd7a:115c:a1e0:b1a::/64',
        allowed: 'a 4via6 route of at least /96',
      },
    ],
    [
      'a 4via6 site ID is above 0xffff',
      { subnetRouter: { advertiseRoutes: ['fd7a:115c:a1e0:b1a:1:0:a01:100/120'] } },
      {
        path: PATH,
        field: 'subnetRouter.advertiseRoutes[0]',
        value: 'fd7a:115c:a1e0:b1a:1:0:a01:100/120',
        allowed: 'a 4via6 route whose site ID is 0xffff or less',
      },
    ],
    [
      'app connector routes are empty',
      { appConnector: { domains: ['github.com'], routes: [] } },
      {
        path: PATH,
        field: 'appConnector.routes',
        value: [],
        allowed: 'at least one route (leave `routes` out to discover them)',
      },
    ],
    [
      'an app connector route has host bits set',
      { appConnector: { domains: ['github.com'], routes: ['192.0.2.1/24'] } },
      { path: PATH, field: 'appConnector.routes[0]', value: '192.0.2.1/24', allowed: ROUTE },
    ],
    [
      'an app connector has no domain',
      { appConnector: { domains: [] } },
      { path: PATH, field: 'appConnector.domains', value: [], allowed: 'at least one domain' },
    ],
    [
      'a domain is not a DNS name',
      { appConnector: { domains: ['https://github.com'] } },
      {
        path: PATH,
        field: 'appConnector.domains[0]',
        value: 'https://github.com',
        allowed: 'a domain such as "github.com" or "*.example.com"',
      },
    ],
    [
      'a client selector is not a principal',
      { appConnector: { domains: ['github.com'], clients: ['family'] } },
      {
        path: PATH,
        field: 'appConnector.clients[0]',
        value: 'family',
        allowed:
          'a policy principal such as "group:family", "alice@example.com", "tag:ci" or "autogroup:member"',
      },
    ],
    [
      'tags is empty',
      { exitNode: true, tags: [] },
      {
        path: PATH,
        field: 'tags',
        value: [],
        allowed: 'at least one tag (leave `tags` out for ["tag:k8s"])',
      },
    ],
    [
      'a tag lacks its prefix',
      { exitNode: true, tags: ['tag:k8s', 'home'] },
      { path: PATH, field: 'tags[1]', value: 'home', allowed: TAG },
    ],
    [
      'a tag is listed twice',
      { exitNode: true, tags: ['tag:k8s', 'tag:k8s'] },
      { path: PATH, field: 'tags[1]', value: 'tag:k8s', allowed: 'listed once' },
    ],
    [
      'the ProxyClass name is not an object name',
      { exitNode: true, proxyClass: { name: 'Prod' } },
      { path: PATH, field: 'proxyClass.name', value: 'Prod', allowed: OBJECT_NAME },
    ],
    [
      'the name is not an object name',
      { exitNode: true, name: 'Home_Ops' },
      { path: PATH, field: 'name', value: 'Home_Ops', allowed: OBJECT_NAME },
    ],
    [
      'the default hostname would be invalid',
      { exitNode: true, name: 'home.ops' },
      {
        path: PATH,
        field: 'name',
        value: 'home.ops',
        allowed: 'a name whose default hostname "<name>-connector" is a valid device hostname',
      },
    ],
  ])('fails when %s', (_name, props, expected) => {
    expect(fields(failure(props))).toStrictEqual(expected);
  });

  test('fails when a route has host bits set, suggesting the masked route', () => {
    expect(failure({ subnetRouter: { advertiseRoutes: ['10.0.0.1/8'] } }).message).toBe(
      "Connector 'home/home-ops': `subnetRouter.advertiseRoutes[0]` must be a masked CIDR such as " +
        '"10.0.0.0/8", got "10.0.0.1/8"; did you mean "10.0.0.0/8"?',
    );
  });

  test('fails when a default route is advertised, pointing at exitNode', () => {
    expect(failure({ subnetRouter: { advertiseRoutes: ['0.0.0.0/0'] } }).message).toBe(
      "Connector 'home/home-ops': `subnetRouter.advertiseRoutes[0]` must be a subnet route, not a default " +
        'route, got "0.0.0.0/0"; set `exitNode: true` to make the Connector an exit node',
    );
  });

  test('fails when hostname is set with replicas, pointing at hostnamePrefix', () => {
    expect(failure({ exitNode: true, hostname: 'exit', replicas: 2 }).message).toBe(
      "Connector 'home/home-ops': `hostname` must be absent when `replicas` is greater than 1, got " +
        '"exit"; set `hostnamePrefix` instead: replica i joins as "<prefix>-<i>"',
    );
  });

  test('fails when a domain has capitals, suggesting the lower-case one', () => {
    expect(failure({ appConnector: { domains: ['GitHub.com'] } }).message).toBe(
      'Connector \'home/home-ops\': `appConnector.domains[0]` must be a domain such as "github.com" or ' +
        '"*.example.com", got "GitHub.com"; did you mean "github.com"?',
    );
  });
});
