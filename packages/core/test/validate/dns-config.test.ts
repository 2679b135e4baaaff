import {
  K8S_NAMESERVER_IMAGE,
  TAILSCALE_IMAGE_NAMES,
  ValidationError,
  resolveDNSConfigProps,
  tailscaleImage,
  type DNSConfigProps,
  type TailscaleImage,
  type TailscaleImageName,
} from '../../src/internal';

const PATH = "DNSConfig 'dns/ts-net'";

function failure(props: DNSConfigProps): ValidationError {
  try {
    resolveDNSConfigProps(PATH, 'ts-net', props);
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
  test("the nameserver image follows the operator's chosen release and registry", () => {
    // GIVEN an operator on an older release from a mirror
    const images = Object.fromEntries(
      TAILSCALE_IMAGE_NAMES.map((name) => [
        name,
        tailscaleImage(name, { version: '1.94.2', registry: 'registry.example.com/tailscale' }),
      ]),
    ) as Record<TailscaleImageName, TailscaleImage>;

    // WHEN
    const resolved = resolveDNSConfigProps(PATH, 'ts-net', { operator: { images } });

    // THEN
    expect(resolved.image).toStrictEqual({
      repo: 'registry.example.com/tailscale/k8s-nameserver',
      tag: 'v1.94.2',
    });
    expect(resolved).not.toHaveProperty('operator');
    expect(
      resolveDNSConfigProps(PATH, 'ts-net', { operator: { images }, image: { tag: 'v1.96.0' } }).image,
    ).toStrictEqual({ repo: 'registry.example.com/tailscale/k8s-nameserver', tag: 'v1.96.0' });
  });

  test('the name, and the nameserver image pinned to the release (not the operator `stable`)', () => {
    expect(resolveDNSConfigProps(PATH, 'ts-net', {})).toStrictEqual({
      name: 'ts-net',
      image: { repo: 'tailscale/k8s-nameserver', tag: K8S_NAMESERVER_IMAGE.tag },
    });
    expect(K8S_NAMESERVER_IMAGE.tag).toBe('v1.102.3');
  });

  test('a mirror keeps the pinned tag; the CoreDNS stub gets its defaults', () => {
    expect(
      resolveDNSConfigProps(PATH, 'ts-net', {
        image: { repo: 'registry.example.com:5000/mirror/k8s-nameserver' },
        clusterIP: '10.96.0.53',
        coreDnsStub: {},
      }),
    ).toStrictEqual({
      name: 'ts-net',
      image: { repo: 'registry.example.com:5000/mirror/k8s-nameserver', tag: 'v1.102.3' },
      clusterIP: '10.96.0.53',
      coreDnsStub: {
        configMapName: 'coredns-custom',
        namespace: 'kube-system',
        key: 'tailscale-ts-net.server',
      },
    });
  });

  test.each<[string, DNSConfigProps]>([
    [
      'replicas and scheduling',
      { replicas: 2, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [{ operator: 'Exists' }] },
    ],
    ['an IPv6 ClusterIP', { clusterIP: 'fd00:10:96::53' }],
    ['no replicas', { replicas: 0 }],
  ])('accepts %s', (_name, props) => {
    expect(() => resolveDNSConfigProps(PATH, 'ts-net', props)).not.toThrow();
  });
});

describe('rules', () => {
  test.each<[string, DNSConfigProps, ReturnType<typeof fields>]>([
    [
      'the name is not an object name',
      { name: 'TS_NET' },
      {
        path: PATH,
        field: 'name',
        value: 'TS_NET',
        allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
      },
    ],
    [
      'the image tag is not a tag',
      { image: { tag: ':stable' } },
      { path: PATH, field: 'image.tag', value: ':stable', allowed: 'an image tag such as "v1.102.3"' },
    ],
    [
      'the image repository has a tag in it',
      { image: { repo: 'tailscale/k8s-nameserver:stable' } },
      {
        path: PATH,
        field: 'image.repo',
        value: 'tailscale/k8s-nameserver:stable',
        allowed:
          'an image repository such as "tailscale/k8s-nameserver" or "registry.example.com/k8s-nameserver"',
      },
    ],
    [
      'replicas are negative',
      { replicas: -1 },
      { path: PATH, field: 'replicas', value: -1, allowed: 'a whole number from 0 to 2147483647' },
    ],
    [
      'the ClusterIP is a CIDR',
      { clusterIP: '10.96.0.0/12' },
      {
        path: PATH,
        field: 'clusterIP',
        value: '10.96.0.0/12',
        allowed: 'one IPv4 or IPv6 address in the cluster\'s Service range, such as "10.96.0.53"',
      },
    ],
    [
      'the ClusterIP is None',
      { clusterIP: 'None' },
      {
        path: PATH,
        field: 'clusterIP',
        value: 'None',
        allowed: 'one IPv4 or IPv6 address in the cluster\'s Service range, such as "10.96.0.53"',
      },
    ],
    [
      'a node selector value is not a label value',
      { nodeSelector: { pool: 'infra nodes' } },
      {
        path: PATH,
        field: 'nodeSelector["pool"]',
        value: 'infra nodes',
        allowed:
          'a label value: at most 63 letters, digits, dashes, underscores and dots, starting and ending with a letter or digit',
      },
    ],
    [
      'the CoreDNS stub is asked for without a ClusterIP',
      { coreDnsStub: {} },
      {
        path: PATH,
        field: 'coreDnsStub',
        value: { configMapName: 'coredns-custom', namespace: 'kube-system', key: 'tailscale-ts-net.server' },
        allowed: "absent unless `clusterIP` is set: the stub forwards to the nameserver's fixed address",
      },
    ],
    [
      'the CoreDNS stub key does not end in .server',
      { clusterIP: '10.96.0.53', coreDnsStub: { key: 'tailscale.override' } },
      {
        path: PATH,
        field: 'coreDnsStub.key',
        value: 'tailscale.override',
        allowed:
          'a ConfigMap key ending in ".server" (CoreDNS imports only those), such as "tailscale-ts-net.server"',
      },
    ],
  ])('fails when %s', (_name, props, expected) => {
    expect(fields(failure(props))).toStrictEqual(expected);
  });
});
