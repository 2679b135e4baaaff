import {
  API_SERVER_PROXY_MODES,
  PROXY_GROUP_TYPES,
  ValidationError,
  resolveProxyGroupAttributes,
  resolveProxyGroupProps,
  type ApiServerProxyMode,
  type ProxyGroupProps,
  type ProxyGroupType,
} from '../../src/internal';

const PATH = "ProxyGroup 'home/ingress'";
const TAG = 'a tag such as "tag:k8s" (letters, digits and dashes after "tag:", starting with a letter)';

/** The error `resolveProxyGroupProps` throws for `props`. */
function failure(props: ProxyGroupProps): ValidationError {
  try {
    resolveProxyGroupProps(PATH, 'ingress', props);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('choices', () => {
  test('the runtime lists hold exactly the literal unions', () => {
    // Compile-time: each list's element type and the union are the same set.
    const types: readonly ProxyGroupType[] = PROXY_GROUP_TYPES;
    const modes: readonly ApiServerProxyMode[] = API_SERVER_PROXY_MODES;
    const everyType: Record<ProxyGroupType, true> = { ingress: true, egress: true, 'kube-apiserver': true };
    expect([...types].sort()).toStrictEqual(Object.keys(everyType).sort());
    expect(modes).toStrictEqual(['auth', 'noauth']);
  });
});

describe('defaults', () => {
  test('fills the name, replicas (2, as the operator) and tags', () => {
    expect(resolveProxyGroupProps(PATH, 'ingress', { type: 'ingress' })).toStrictEqual({
      type: 'ingress',
      name: 'ingress',
      replicas: 2,
      tags: ['tag:k8s'],
    });
  });

  test('a kube-apiserver group defaults to auth mode serving svc:<name>', () => {
    expect(resolveProxyGroupProps(PATH, 'api', { type: 'kube-apiserver' })).toStrictEqual({
      type: 'kube-apiserver',
      name: 'api',
      replicas: 2,
      tags: ['tag:k8s'],
      kubeAPIServer: { mode: 'auth', hostname: 'api' },
    });
  });

  test('keeps what the props set', () => {
    const props: ProxyGroupProps<'kube-apiserver'> = {
      type: 'kube-apiserver',
      name: 'k8s-api',
      replicas: 3,
      hostnamePrefix: 'api',
      tags: ['tag:k8s-api'],
      proxyClass: { name: 'prod' },
      kubeAPIServer: { mode: 'noauth', hostname: 'cluster' },
    };
    expect(resolveProxyGroupProps(PATH, 'ingress', props)).toStrictEqual({
      ...props,
      kubeAPIServer: { mode: 'noauth', hostname: 'cluster' },
    });
  });

  test.each<[string, ProxyGroupProps]>([
    ['an egress group', { type: 'egress' }],
    ['no replicas', { type: 'ingress', replicas: 0 }],
    ['a one-character prefix', { type: 'ingress', hostnamePrefix: 'a' }],
    ['a 52-character name', { type: 'ingress', name: 'a'.repeat(52) }],
    [
      'a 61-character prefix with 10 replicas',
      { type: 'ingress', hostnamePrefix: 'p'.repeat(61), replicas: 10 },
    ],
    ['a one-character API server hostname', { type: 'kube-apiserver', kubeAPIServer: { hostname: 'k' } }],
    [
      'an auth-mode API server proxy named as the chart ServiceAccount',
      { type: 'kube-apiserver', name: 'kube-apiserver-auth-proxy' },
    ],
  ])('accepts %s', (_name, props) => {
    expect(() => resolveProxyGroupProps(PATH, 'ingress', props)).not.toThrow();
  });
});

describe('rules', () => {
  test.each<[string, ProxyGroupProps, ReturnType<typeof fields>]>([
    [
      'the type is unknown',
      { type: 'funnel' as ProxyGroupType },
      { path: PATH, field: 'type', value: 'funnel', allowed: 'one of "ingress", "egress", "kube-apiserver"' },
    ],
    [
      'the name is not an object name',
      { type: 'ingress', name: 'Ingress' },
      {
        path: PATH,
        field: 'name',
        value: 'Ingress',
        allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
      },
    ],
    [
      'the name has a dot (pods of a StatefulSet need DNS labels)',
      { type: 'ingress', name: 'ingress.home' },
      {
        path: PATH,
        field: 'name',
        value: 'ingress.home',
        allowed: 'a DNS label of at most 52 lower-case letters, digits and dashes',
      },
    ],
    [
      'the name is longer than 52 characters',
      { type: 'egress', name: 'a'.repeat(53) },
      {
        path: PATH,
        field: 'name',
        value: 'a'.repeat(53),
        allowed: 'a DNS label of at most 52 lower-case letters, digits and dashes',
      },
    ],
    [
      'replicas is negative',
      { type: 'ingress', replicas: -1 },
      { path: PATH, field: 'replicas', value: -1, allowed: 'a whole number from 0 to 2147483647' },
    ],
    [
      'replicas is a fraction',
      { type: 'ingress', replicas: 1.5 },
      { path: PATH, field: 'replicas', value: 1.5, allowed: 'a whole number from 0 to 2147483647' },
    ],
    [
      'the prefix starts with a dash',
      { type: 'ingress', hostnamePrefix: '-pg' },
      {
        path: PATH,
        field: 'hostnamePrefix',
        value: '-pg',
        allowed: '1 to 62 lower-case letters, digits and dashes, not starting with a dash',
      },
    ],
    [
      'the last replica hostname would be longer than 63 characters',
      { type: 'ingress', hostnamePrefix: 'p'.repeat(61), replicas: 11 },
      {
        path: PATH,
        field: 'hostnamePrefix',
        value: 'p'.repeat(61),
        allowed: `a hostnamePrefix short enough that the last replica's hostname "${'p'.repeat(61)}-10" is at most 63 characters`,
      },
    ],
    [
      'tags is empty',
      { type: 'ingress', tags: [] },
      {
        path: PATH,
        field: 'tags',
        value: [],
        allowed: 'at least one tag (leave `tags` out for ["tag:k8s"])',
      },
    ],
    [
      'a tag lacks its prefix',
      { type: 'ingress', tags: ['tag:k8s', 'web'] },
      { path: PATH, field: 'tags[1]', value: 'web', allowed: TAG },
    ],
    [
      'a tag is listed twice',
      { type: 'ingress', tags: ['tag:a', 'tag:a'] },
      { path: PATH, field: 'tags[1]', value: 'tag:a', allowed: 'listed once' },
    ],
    [
      'the ProxyClass name is invalid',
      { type: 'egress', proxyClass: { name: 'Prod' } },
      {
        path: PATH,
        field: 'proxyClass.name',
        value: 'Prod',
        allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
      },
    ],
    [
      'kubeAPIServer is set on an ingress group',
      { type: 'ingress', kubeAPIServer: { mode: 'noauth' } } as ProxyGroupProps,
      {
        path: PATH,
        field: 'kubeAPIServer',
        value: { mode: 'noauth' },
        allowed: 'absent unless `type` is "kube-apiserver"',
      },
    ],
    [
      'the API server mode is unknown',
      { type: 'kube-apiserver', kubeAPIServer: { mode: 'oidc' as ApiServerProxyMode } },
      { path: PATH, field: 'kubeAPIServer.mode', value: 'oidc', allowed: 'one of "auth", "noauth"' },
    ],
    [
      'the API server hostname is a FQDN',
      { type: 'kube-apiserver', kubeAPIServer: { hostname: 'k8s.example.com' } },
      {
        path: PATH,
        field: 'kubeAPIServer.hostname',
        value: 'k8s.example.com',
        allowed: 'a DNS label of at most 63 lower-case letters, digits and dashes',
      },
    ],
    [
      'a group other than an auth-mode API server proxy takes the chart ServiceAccount name',
      { type: 'kube-apiserver', name: 'kube-apiserver-auth-proxy', kubeAPIServer: { mode: 'noauth' } },
      {
        path: PATH,
        field: 'name',
        value: 'kube-apiserver-auth-proxy',
        allowed: 'a name other than "kube-apiserver-auth-proxy"',
      },
    ],
  ])('fails when %s', (_name, props, expected) => {
    expect(fields(failure(props))).toStrictEqual(expected);
  });

  test('the message names the construct, field, value and what is allowed', () => {
    expect(failure({ type: 'ingress', tags: ['web'] }).message).toBe(
      `${PATH}: \`tags[0]\` must be ${TAG}, got "web"; did you mean "tag:web"?`,
    );
    expect(failure({ type: 'ingress', kubeAPIServer: {} } as ProxyGroupProps).message).toBe(
      `${PATH}: \`kubeAPIServer\` must be absent unless \`type\` is "kube-apiserver", got {}; a ProxyGroup of type "ingress" has no API server proxy`,
    );
  });
});

describe('resolveProxyGroupAttributes', () => {
  test('fills the operator defaults', () => {
    expect(resolveProxyGroupAttributes(PATH, { name: 'shared', type: 'ingress' })).toStrictEqual({
      name: 'shared',
      type: 'ingress',
      tags: ['tag:k8s'],
      replicas: 2,
    });
  });

  test('fails when a tag is invalid', () => {
    expect(() => resolveProxyGroupAttributes(PATH, { name: 'shared', type: 'egress', tags: ['x'] })).toThrow(
      ValidationError,
    );
  });
});
