import {
  ValidationError,
  resolveTailscaleIngressProps,
  tailscaleIngressWarnings,
  type IProxyGroup,
  type TailscaleIngressProps,
} from '../../src/internal';

const PATH = "TailscaleIngress 'apps/my-dashboard'";
const DEFAULTS = { name: 'my-dashboard', namespace: 'monitoring' };
const GRAFANA = { serviceName: 'grafana', port: 3000 };
const GROUP: IProxyGroup<'ingress'> = {
  name: 'ingress',
  proxyGroupType: 'ingress',
  tags: ['tag:k8s'],
  replicas: 2,
};
const PATH_TYPES = 'one of "Prefix", "ImplementationSpecific"';

/** The error `resolveTailscaleIngressProps` throws for `props`. */
function failure(props: TailscaleIngressProps): ValidationError {
  try {
    resolveTailscaleIngressProps(PATH, DEFAULTS, props);
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
  test('fills the name, namespace, tags, class and HTTP flags', () => {
    expect(resolveTailscaleIngressProps(PATH, DEFAULTS, { defaultBackend: GRAFANA })).toStrictEqual({
      defaultBackend: GRAFANA,
      name: 'my-dashboard',
      namespace: 'monitoring',
      httpRedirect: false,
      tags: ['tag:k8s'],
      ingressClassName: 'tailscale',
      httpEndpoint: false,
    });
  });

  test('keeps what the props set', () => {
    const props: TailscaleIngressProps = {
      name: 'grafana',
      namespace: 'obs',
      hostname: 'grafana',
      paths: [
        { path: '/', pathType: 'ImplementationSpecific', backend: { serviceName: 'grafana', port: 'http' } },
      ],
      httpRedirect: false,
      httpEndpoint: true,
      tags: ['tag:dashboards'],
      proxyGroup: GROUP,
      ingressClassName: 'tailscale-internal',
    };
    expect(resolveTailscaleIngressProps(PATH, DEFAULTS, props)).toStrictEqual(props);
  });

  test.each<[string, TailscaleIngressProps]>([
    ['a default backend', { defaultBackend: GRAFANA }],
    ['paths by port name', { paths: [{ path: '/api', backend: { serviceName: 'api', port: 'http-api' } }] }],
    ['a redirect, standalone', { defaultBackend: GRAFANA, httpRedirect: true }],
    ['a redirect on a ProxyGroup', { defaultBackend: GRAFANA, httpRedirect: true, proxyGroup: GROUP }],
    ['an HTTP endpoint on a ProxyGroup', { defaultBackend: GRAFANA, httpEndpoint: true, proxyGroup: GROUP }],
    ['a ProxyClass, standalone', { defaultBackend: GRAFANA, proxyClass: { name: 'prod' } }],
    [
      'a default backend beside other paths',
      { defaultBackend: GRAFANA, paths: [{ path: '/api', backend: GRAFANA }] },
    ],
  ])('accepts %s', (_name, props) => {
    expect(() => resolveTailscaleIngressProps(PATH, DEFAULTS, props)).not.toThrow();
  });
});

describe('rules', () => {
  test.each<[string, TailscaleIngressProps, ReturnType<typeof fields>]>([
    [
      'there is no backend',
      {},
      { path: PATH, field: 'paths', value: undefined, allowed: 'at least one path, or a `defaultBackend`' },
    ],
    [
      'a path is Exact, which the operator routes as Prefix',
      {
        paths: [
          { path: '/', backend: GRAFANA },
          { path: '/api', pathType: 'Exact' as 'Prefix', backend: GRAFANA },
        ],
      },
      { path: PATH, field: 'paths[1].pathType', value: 'Exact', allowed: PATH_TYPES },
    ],
    [
      'a path is relative',
      { paths: [{ path: 'api', backend: GRAFANA }] },
      {
        path: PATH,
        field: 'paths[0].path',
        value: 'api',
        allowed: 'an absolute path such as "/" or "/api", without spaces, "//", "/./" or "/../"',
      },
    ],
    [
      'a path is served twice',
      { defaultBackend: GRAFANA, paths: [{ path: '/', backend: { serviceName: 'other', port: 80 } }] },
      {
        path: PATH,
        field: 'paths[0].path',
        value: '/',
        allowed: 'a path no other path (or the `defaultBackend`, which serves "/") uses',
      },
    ],
    [
      'the hostname has a domain',
      { defaultBackend: GRAFANA, hostname: 'dash.example.com' },
      {
        path: PATH,
        field: 'hostname',
        value: 'dash.example.com',
        allowed: 'a DNS label (the first label of "<hostname>.<tailnet>.ts.net")',
      },
    ],
    [
      'two hostnames are given, as in a second TLS host',
      { defaultBackend: GRAFANA, hostname: ['a', 'b'] as unknown as string },
      { path: PATH, field: 'hostname', value: ['a', 'b'], allowed: 'one hostname' },
    ],
    [
      'the default hostname is too long',
      { defaultBackend: GRAFANA, name: 'd'.repeat(50) },
      {
        path: PATH,
        field: 'name',
        value: 'd'.repeat(50),
        allowed:
          'a name whose default hostname "<namespace>-<name>-ingress" is a DNS label of at most 63 characters',
      },
    ],
    [
      'a backend port is out of range',
      { defaultBackend: { serviceName: 'grafana', port: 70000 } },
      {
        path: PATH,
        field: 'defaultBackend.port',
        value: 70000,
        allowed: 'a port number from 1 to 65535, or a port name',
      },
    ],
    [
      'a backend port is a number in a string',
      { defaultBackend: { serviceName: 'grafana', port: '3000' } },
      {
        path: PATH,
        field: 'defaultBackend.port',
        value: '3000',
        allowed:
          'a port number, or the name of a Service port (at most 15 lower-case letters, digits and dashes, with a letter)',
      },
    ],
    [
      'a backend Service name is not a DNS label',
      { paths: [{ path: '/', backend: { serviceName: 'Grafana', port: 80 } }] },
      {
        path: PATH,
        field: 'paths[0].backend.serviceName',
        value: 'Grafana',
        allowed:
          'the name of a Service in the same namespace: at most 63 lower-case letters, digits and dashes, starting with a letter',
      },
    ],
    [
      'a tag is not a tag',
      { defaultBackend: GRAFANA, tags: ['k8s'] },
      {
        path: PATH,
        field: 'tags[0]',
        value: 'k8s',
        allowed: 'a tag such as "tag:k8s" (letters, digits and dashes after "tag:", starting with a letter)',
      },
    ],
    [
      'tags are empty',
      { defaultBackend: GRAFANA, tags: [] },
      {
        path: PATH,
        field: 'tags',
        value: [],
        allowed: 'at least one tag (leave `tags` out for the default)',
      },
    ],
    [
      'the ProxyGroup is not an ingress group',
      {
        defaultBackend: GRAFANA,
        proxyGroup: { ...GROUP, proxyGroupType: 'egress' } as unknown as IProxyGroup<'ingress'>,
      },
      { path: PATH, field: 'proxyGroup', value: 'ingress', allowed: 'a ProxyGroup of type "ingress"' },
    ],
    [
      'a ProxyClass is set on a ProxyGroup Ingress',
      { defaultBackend: GRAFANA, proxyGroup: GROUP, proxyClass: { name: 'prod' } },
      { path: PATH, field: 'proxyClass', value: 'prod', allowed: 'absent when `proxyGroup` is set' },
    ],
    [
      'an HTTP endpoint is asked of a standalone proxy',
      { defaultBackend: GRAFANA, httpEndpoint: true },
      { path: PATH, field: 'httpEndpoint', value: true, allowed: 'false unless `proxyGroup` is set' },
    ],
    [
      'an HTTP endpoint and a redirect are both asked',
      { defaultBackend: GRAFANA, proxyGroup: GROUP, httpEndpoint: true, httpRedirect: true },
      { path: PATH, field: 'httpRedirect', value: true, allowed: 'false when `httpEndpoint` is set' },
    ],
    [
      'the namespace is not a DNS label',
      { defaultBackend: GRAFANA, namespace: 'Monitoring' },
      {
        path: PATH,
        field: 'namespace',
        value: 'Monitoring',
        allowed:
          'a namespace name: at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit',
      },
    ],
  ])('fails when %s', (_name, props, expected) => {
    expect(fields(failure(props))).toStrictEqual(expected);
  });

  test('the Exact error says what the operator would do instead', () => {
    expect(failure({ paths: [{ path: '/', pathType: 'Exact' as 'Prefix', backend: GRAFANA }] }).message).toBe(
      `${PATH}: \`paths[0].pathType\` must be ${PATH_TYPES}, got "Exact"; the operator routes an Exact path as a Prefix, with only a warning event; write "Prefix" to say what happens`,
    );
  });

  test('the second-host error says what the operator would do instead', () => {
    expect(failure({ defaultBackend: GRAFANA, hostname: ['a', 'b'] as unknown as string }).message).toBe(
      `${PATH}: \`hostname\` must be one hostname, got ["a","b"]; the operator serves only the first TLS host: a standalone proxy ignores the others with an event and a ProxyGroup refuses the Ingress; use one Ingress per hostname`,
    );
  });

  test('a domain in the hostname gets its first label as a hint', () => {
    expect(failure({ defaultBackend: GRAFANA, hostname: 'dash.example.com' }).message).toMatch(
      /never a custom domain; did you mean "dash"\?$/,
    );
  });
});

describe('tailscaleIngressWarnings', () => {
  test('warns for a backend on 443 or a port named https, and only those', () => {
    expect(
      tailscaleIngressWarnings(PATH, {
        defaultBackend: { serviceName: 'traefik', port: 443 },
        paths: [
          { path: '/a', backend: { serviceName: 'a', port: 'https' } },
          { path: '/b', backend: { serviceName: 'b', port: 8443 } },
        ],
      }),
    ).toStrictEqual([
      `${PATH}: \`defaultBackend\` (traefik:443) is proxied as HTTPS without certificate verification, as the operator does for port 443 and ports named "https"; clients still get the MagicDNS name's verified certificate`,
      `${PATH}: \`paths[0].backend\` (a:https) is proxied as HTTPS without certificate verification, as the operator does for port 443 and ports named "https"; clients still get the MagicDNS name's verified certificate`,
    ]);
  });

  test('says nothing for plain HTTP backends', () => {
    expect(tailscaleIngressWarnings(PATH, { defaultBackend: GRAFANA })).toStrictEqual([]);
  });
});
