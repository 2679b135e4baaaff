import {
  ValidationError,
  proxyClassWarnings,
  resolveProxyClassProps,
  type ProxyClassProps,
} from '../../src/internal';

const PATH = "ProxyClass 'platform/prod'";
const LABEL_VALUE =
  'a label value: at most 63 letters, digits, dashes, underscores and dots, starting and ending with a letter or digit';

function failure(props: ProxyClassProps): ValidationError {
  try {
    resolveProxyClassProps(PATH, 'prod', props);
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
  test('fills the name and the cluster NodePort range', () => {
    expect(resolveProxyClassProps(PATH, 'prod', {})).toStrictEqual({
      name: 'prod',
      clusterNodePortRange: { port: 30000, endPort: 32767 },
    });
  });

  test('accepts what a platform team sets', () => {
    const props: ProxyClassProps = {
      statefulSet: {
        labels: { team: 'platform' },
        annotations: { 'example.com/owner': 'platform team' },
        pod: {
          labels: { 'app.kubernetes.io/part-of': 'tailscale' },
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'edge', effect: 'NoSchedule' }],
          priorityClassName: 'system-cluster-critical',
          imagePullSecrets: ['regcred'],
          tailscaleContainer: {
            image: 'ghcr.io/tailscale/tailscale:v1.102.3',
            imagePullPolicy: 'IfNotPresent',
            resources: { requests: { cpu: '50m', memory: '64Mi' } },
            env: [{ name: 'HTTP_PROXY', value: 'http://proxy:3128' }],
            debug: { enable: true },
          },
          tailscaleInitContainer: { image: 'ghcr.io/tailscale/tailscale:v1.102.3' },
          nodeName: 'edge-1.example.internal',
          dnsPolicy: 'None',
          dnsConfig: {
            nameservers: ['10.96.0.10', 'fd00::a'],
            searches: ['corp.example.com.', 'svc.cluster.local'],
            options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }],
          },
        },
      },
      metrics: { enable: true, serviceMonitor: { enable: true, labels: { release: 'kube-prometheus' } } },
      tailscale: { acceptRoutes: true },
      useLetsEncryptStagingEnvironment: false,
      staticEndpoints: { nodePort: { ports: [{ port: 30100, endPort: 30110 }, { port: 30200 }] } },
    };
    expect(() => resolveProxyClassProps(PATH, 'prod', props)).not.toThrow();
  });
});

describe('rules', () => {
  test.each<[string, ProxyClassProps, ReturnType<typeof fields>]>([
    [
      'a ServiceMonitor is enabled without metrics',
      { metrics: { enable: false, serviceMonitor: { enable: true } } },
      {
        path: PATH,
        field: 'metrics.serviceMonitor.enable',
        value: true,
        allowed: 'false unless `metrics.enable` is true',
      },
    ],
    [
      'debug is set on the init container',
      { statefulSet: { pod: { tailscaleInitContainer: { debug: { enable: true } } as never } } },
      {
        path: PATH,
        field: 'statefulSet.pod.tailscaleInitContainer.debug',
        value: { enable: true },
        allowed: 'absent: debug settings cannot be configured on the init container',
      },
    ],
    [
      'an env name does not match the CRD pattern',
      { statefulSet: { pod: { tailscaleContainer: { env: [{ name: '1BAD' }] } } } },
      {
        path: PATH,
        field: 'statefulSet.pod.tailscaleContainer.env[0].name',
        value: '1BAD',
        allowed: 'an environment variable name: letters, digits, "-", "." and "_", not starting with a digit',
      },
    ],
    [
      'an env name is listed twice',
      { statefulSet: { pod: { tailscaleInitContainer: { env: [{ name: 'A' }, { name: 'A' }] } } } },
      {
        path: PATH,
        field: 'statefulSet.pod.tailscaleInitContainer.env[1]',
        value: 'A',
        allowed: 'listed once',
      },
    ],
    [
      'a pod label value is too long',
      { statefulSet: { pod: { labels: { team: 'x'.repeat(64) } } } },
      { path: PATH, field: 'statefulSet.pod.labels["team"]', value: 'x'.repeat(64), allowed: LABEL_VALUE },
    ],
    [
      'a StatefulSet label value has a space',
      { statefulSet: { labels: { team: 'platform team' } } },
      { path: PATH, field: 'statefulSet.labels["team"]', value: 'platform team', allowed: LABEL_VALUE },
    ],
    [
      'a ServiceMonitor label value is invalid',
      { metrics: { enable: true, serviceMonitor: { enable: true, labels: { release: '-x' } } } },
      { path: PATH, field: 'metrics.serviceMonitor.labels["release"]', value: '-x', allowed: LABEL_VALUE },
    ],
    [
      'a label key is invalid',
      { statefulSet: { labels: { 'team name': 'x' } } },
      {
        path: PATH,
        field: 'statefulSet.labels["team name"]',
        value: 'team name',
        allowed:
          'a key such as "app" or "example.com/team": an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" and "."',
      },
    ],
    [
      'the image pull policy is unknown',
      { statefulSet: { pod: { tailscaleContainer: { imagePullPolicy: 'Sometimes' as never } } } },
      {
        path: PATH,
        field: 'statefulSet.pod.tailscaleContainer.imagePullPolicy',
        value: 'Sometimes',
        allowed: 'one of "Always", "Never", "IfNotPresent"',
      },
    ],
    [
      'the image is not a reference',
      { statefulSet: { pod: { tailscaleContainer: { image: 'Tailscale Image' } } } },
      {
        path: PATH,
        field: 'statefulSet.pod.tailscaleContainer.image',
        value: 'Tailscale Image',
        allowed: 'an image reference such as "tailscale/tailscale:v1.102.3" or "ghcr.io/tailscale/tailscale"',
      },
    ],
    [
      'a NodePort lies outside the cluster range',
      { staticEndpoints: { nodePort: { ports: [{ port: 3001 }] } } },
      {
        path: PATH,
        field: 'staticEndpoints.nodePort.ports[0].port',
        value: 3001,
        allowed: 'a port from 30000 to 32767',
      },
    ],
    [
      'a NodePort range ends before it starts',
      { staticEndpoints: { nodePort: { ports: [{ port: 30200, endPort: 30100 }] } } },
      {
        path: PATH,
        field: 'staticEndpoints.nodePort.ports[0].endPort',
        value: 30100,
        allowed: "a port from 30200 (the range's `port`) to 32767",
      },
    ],
    [
      'two NodePort ranges overlap',
      { staticEndpoints: { nodePort: { ports: [{ port: 30100, endPort: 30110 }, { port: 30105 }] } } },
      {
        path: PATH,
        field: 'staticEndpoints.nodePort.ports[1]',
        value: { port: 30105 },
        allowed: 'a range that overlaps no other range of the same ProxyClass',
      },
    ],
    [
      'no NodePort is given',
      { staticEndpoints: { nodePort: { ports: [] } } },
      {
        path: PATH,
        field: 'staticEndpoints.nodePort.ports',
        value: [],
        allowed: 'at least one port or port range',
      },
    ],
    [
      'the DNS policy is not one Kubernetes knows',
      { statefulSet: { pod: { dnsPolicy: 'ClusterFirstWithHostnet' as 'ClusterFirst' } } },
      {
        path: PATH,
        field: 'statefulSet.pod.dnsPolicy',
        value: 'ClusterFirstWithHostnet',
        allowed: 'one of "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"',
      },
    ],
    [
      'the DNS policy is None without a name server',
      { statefulSet: { pod: { dnsPolicy: 'None', dnsConfig: { searches: ['corp.example.com'] } } } },
      {
        path: PATH,
        field: 'statefulSet.pod.dnsConfig.nameservers',
        value: undefined,
        allowed: 'at least one name server when `dnsPolicy` is "None"',
      },
    ],
    [
      'more than 3 name servers are given',
      { statefulSet: { pod: { dnsConfig: { nameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'] } } } },
      {
        path: PATH,
        field: 'statefulSet.pod.dnsConfig.nameservers',
        value: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'],
        allowed: 'at most 3 name servers',
      },
    ],
    [
      'a name server is a host name',
      { statefulSet: { pod: { dnsConfig: { nameservers: ['1.1.1.1', 'dns.google'] } } } },
      {
        path: PATH,
        field: 'statefulSet.pod.dnsConfig.nameservers[1]',
        value: 'dns.google',
        allowed: 'an IP address such as "1.1.1.1"',
      },
    ],
    [
      'a search domain is not a DNS name',
      { statefulSet: { pod: { dnsConfig: { searches: ['corp.example.com.', 'Corp_Example'] } } } },
      {
        path: PATH,
        field: 'statefulSet.pod.dnsConfig.searches[1]',
        value: 'Corp_Example',
        allowed: 'a DNS name such as "svc.cluster.local"',
      },
    ],
    [
      'more than 32 search domains are given',
      {
        statefulSet: {
          pod: { dnsConfig: { searches: Array.from({ length: 33 }, (_, i) => `d${i}.example`) } },
        },
      },
      {
        path: PATH,
        field: 'statefulSet.pod.dnsConfig.searches',
        value: Array.from({ length: 33 }, (_, i) => `d${i}.example`),
        allowed: 'at most 32 search domains',
      },
    ],
    [
      'the search domains are longer than 2048 characters together',
      {
        statefulSet: {
          pod: {
            dnsConfig: {
              searches: Array.from(
                { length: 9 },
                () => `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(56)}`,
              ),
            },
          },
        },
      },
      {
        path: PATH,
        field: 'statefulSet.pod.dnsConfig.searches',
        value: '9 domains, 2159 characters',
        allowed: 'search domains of at most 2048 characters together, separated by spaces',
      },
    ],
    [
      'a resolver option has no name',
      { statefulSet: { pod: { dnsConfig: { options: [{ name: 'ndots', value: '2' }, { name: '' }] } } } },
      {
        path: PATH,
        field: 'statefulSet.pod.dnsConfig.options[1].name',
        value: '',
        allowed: 'a resolver option name such as "ndots"',
      },
    ],
    [
      'the node name is not a node name',
      { statefulSet: { pod: { nodeName: 'Edge_1' } } },
      {
        path: PATH,
        field: 'statefulSet.pod.nodeName',
        value: 'Edge_1',
        allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
      },
    ],
    [
      'the priority class is not an object name',
      { statefulSet: { pod: { priorityClassName: 'High' } } },
      {
        path: PATH,
        field: 'statefulSet.pod.priorityClassName',
        value: 'High',
        allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
      },
    ],
  ])('fails when %s', (_name, props, expected) => {
    expect(fields(failure(props))).toStrictEqual(expected);
  });

  test('a NodePort outside a custom cluster range is an error, inside it is fine', () => {
    const props: ProxyClassProps = {
      staticEndpoints: { nodePort: { ports: [{ port: 20000 }] } },
      clusterNodePortRange: { port: 20000, endPort: 22767 },
    };
    expect(() => resolveProxyClassProps(PATH, 'prod', props)).not.toThrow();
    expect(failure({ ...props, clusterNodePortRange: { port: 30000, endPort: 32767 } }).message).toBe(
      "ProxyClass 'platform/prod': `staticEndpoints.nodePort.ports[0].port` must be a port from 30000 to " +
        "32767, got 20000; the cluster's NodePort range is 30000-32767; set `clusterNodePortRange` if the " +
        'API server uses another',
    );
  });
});

describe('proxyClassWarnings', () => {
  test('warns as the operator does about TS_* variables on the tailscale container, and nothing else', () => {
    expect(
      proxyClassWarnings(PATH, {
        statefulSet: {
          pod: {
            tailscaleContainer: { env: [{ name: 'HTTP_PROXY' }, { name: 'TS_USERSPACE', value: 'true' }] },
          },
        },
      }),
    ).toStrictEqual([
      'ProxyClass \'platform/prod\': `statefulSet.pod.tailscaleContainer.env[1]` sets "TS_USERSPACE", which ' +
        'overrides a variable the operator sets; running proxies with custom Tailscale environment variables ' +
        'is not recommended and might break in the future',
    ]);
    expect(proxyClassWarnings(PATH, {})).toStrictEqual([]);
  });

  test('on the init container says the variable does nothing there, and where tags belong', () => {
    expect(
      proxyClassWarnings(PATH, {
        statefulSet: {
          pod: {
            tailscaleInitContainer: {
              env: [
                { name: 'TS_EXTRA_ARGS', value: '--advertise-tags=tag:prod' },
                { name: 'EXPERIMENTAL_TS_CONFIGFILE_PATH' },
                { name: 'HTTPS_PROXY' },
              ],
            },
          },
        },
      }),
    ).toStrictEqual([
      'ProxyClass \'platform/prod\': `statefulSet.pod.tailscaleInitContainer.env[0]` sets "TS_EXTRA_ARGS", which ' +
        'does nothing there: the init container is the sysctler that turns on IP forwarding, not tailscaled; ' +
        'tags belong in `tags` of the Connector, ProxyGroup, Service or Ingress that uses this class (a ' +
        'ProxyClass carries none), which the tailnet policy is derived from',
      "ProxyClass 'platform/prod': `statefulSet.pod.tailscaleInitContainer.env[1]` sets " +
        '"EXPERIMENTAL_TS_CONFIGFILE_PATH", which does nothing there: the init container is the sysctler that ' +
        'turns on IP forwarding, not tailscaled; set it on `statefulSet.pod.tailscaleContainer` if the proxy ' +
        'needs it',
    ]);
  });

  test('TS_EXTRA_ARGS with --advertise-tags on the tailscale container also says where tags belong', () => {
    const [warning] = proxyClassWarnings(PATH, {
      statefulSet: {
        pod: { tailscaleContainer: { env: [{ name: 'TS_EXTRA_ARGS', value: '--advertise-tags=tag:prod' }] } },
      },
    });
    expect(warning).toMatch(/might break in the future; tags belong in `tags` of the Connector/);
    const [plain] = proxyClassWarnings(PATH, {
      statefulSet: {
        pod: { tailscaleContainer: { env: [{ name: 'TS_EXTRA_ARGS', value: '--netfilter-mode=off' }] } },
      },
    });
    expect(plain).toMatch(/might break in the future$/);
  });
});
