import {
  ValidationError,
  funnelIngressWarnings,
  resolveFunnelIngressProps,
  type FunnelIngressProps,
} from '../../src/internal';

const PATH = "FunnelIngress 'apps/my-public-app'";
const DEFAULTS = { name: 'my-public-app', namespace: 'web' };
const APP = { serviceName: 'app', port: 8080 };

/** The error `resolveFunnelIngressProps` throws for `props`. */
function failure(props: FunnelIngressProps): ValidationError {
  try {
    resolveFunnelIngressProps(PATH, DEFAULTS, props);
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
  test('a tag of its own, so the funnel attribute reaches no ordinary proxy', () => {
    expect(resolveFunnelIngressProps(PATH, DEFAULTS, { public: true, defaultBackend: APP })).toStrictEqual({
      public: true,
      defaultBackend: APP,
      name: 'my-public-app',
      namespace: 'web',
      httpRedirect: false,
      tags: ['tag:k8s-funnel'],
      ingressClassName: 'tailscale',
    });
  });
});

describe('rules', () => {
  test.each<[string, FunnelIngressProps, ReturnType<typeof fields>]>([
    [
      'the public opt-in is missing',
      { defaultBackend: APP } as unknown as FunnelIngressProps,
      {
        path: PATH,
        field: 'public',
        value: undefined,
        allowed: 'true: a Funnel Ingress is reachable by anyone on the internet, and says so',
      },
    ],
    [
      'the public opt-in is false',
      { public: false, defaultBackend: APP } as unknown as FunnelIngressProps,
      {
        path: PATH,
        field: 'public',
        value: false,
        allowed: 'true: a Funnel Ingress is reachable by anyone on the internet, and says so',
      },
    ],
    [
      'it is put on a ProxyGroup',
      {
        public: true,
        defaultBackend: APP,
        proxyGroup: { name: 'ingress', proxyGroupType: 'ingress', tags: ['tag:k8s'], replicas: 2 },
      } as unknown as FunnelIngressProps,
      { path: PATH, field: 'proxyGroup', value: 'ingress', allowed: 'absent' },
    ],
    [
      'a path is Exact',
      { public: true, paths: [{ path: '/', pathType: 'Exact' as 'Prefix', backend: APP }] },
      {
        path: PATH,
        field: 'paths[0].pathType',
        value: 'Exact',
        allowed: 'one of "Prefix", "ImplementationSpecific"',
      },
    ],
  ])('fails when %s', (_name, props, expected) => {
    expect(fields(failure(props))).toStrictEqual(expected);
  });

  test('the ProxyGroup error gives the reason', () => {
    const props = { public: true, defaultBackend: APP, proxyGroup: { name: 'ingress' } };
    expect(failure(props as unknown as FunnelIngressProps).message).toBe(
      `${PATH}: \`proxyGroup\` must be absent, got "ingress"; the operator serves Funnel from a standalone proxy only: an Ingress on a ProxyGroup ignores \`tailscale.com/funnel\``,
    );
  });

  test('the opt-in is checked before anything else', () => {
    expect(failure({} as unknown as FunnelIngressProps).field).toBe('public');
  });
});

describe('funnelIngressWarnings', () => {
  test('a redirect on port 80 is not reachable from the internet', () => {
    expect(
      funnelIngressWarnings(PATH, { public: true, defaultBackend: APP, httpRedirect: true }),
    ).toStrictEqual([
      `${PATH}: \`httpRedirect\` listens on port 80, which Funnel does not open to the internet (Funnel ports: 443, 8443, 10000); the redirect answers tailnet clients only`,
    ]);
  });

  test("the operator's default proxy tag would give funnel to every ordinary proxy", () => {
    expect(
      funnelIngressWarnings(PATH, { public: true, defaultBackend: APP, tags: ['tag:k8s'] }),
    ).toStrictEqual([
      `${PATH}: \`tags\` holds "tag:k8s", the operator's default proxy tag; the \`funnel\` attribute then reaches every proxy with that tag, not only this one`,
    ]);
  });

  test('an HTTPS backend is reported as for a tailnet Ingress', () => {
    expect(
      funnelIngressWarnings(PATH, { public: true, defaultBackend: { serviceName: 'traefik', port: 443 } }),
    ).toHaveLength(1);
  });

  test('says nothing for the defaults', () => {
    expect(funnelIngressWarnings(PATH, { public: true, defaultBackend: APP })).toStrictEqual([]);
  });
});
