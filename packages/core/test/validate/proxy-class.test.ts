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
  test('warns about TS_* variables the operator sets itself, and nothing else', () => {
    expect(
      proxyClassWarnings(PATH, {
        statefulSet: {
          pod: {
            tailscaleContainer: { env: [{ name: 'HTTP_PROXY' }, { name: 'TS_USERSPACE', value: 'true' }] },
            tailscaleInitContainer: { env: [{ name: 'EXPERIMENTAL_TS_CONFIGFILE_PATH' }] },
          },
        },
      }),
    ).toStrictEqual([
      'ProxyClass \'platform/prod\': `statefulSet.pod.tailscaleContainer.env[1]` sets "TS_USERSPACE", which ' +
        'overrides a variable the operator sets; running proxies with custom Tailscale environment variables ' +
        'is not recommended and might break in the future',
      "ProxyClass 'platform/prod': `statefulSet.pod.tailscaleInitContainer.env[0]` sets " +
        '"EXPERIMENTAL_TS_CONFIGFILE_PATH", which overrides a variable the operator sets; running proxies with ' +
        'custom Tailscale environment variables is not recommended and might break in the future',
    ]);
    expect(proxyClassWarnings(PATH, {})).toStrictEqual([]);
  });
});
