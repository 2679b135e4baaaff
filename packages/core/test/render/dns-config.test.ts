import {
  TailnetModel,
  ValidationError,
  corednsServerBlock,
  dnsConfigRequirements,
  renderCoreDnsStub,
  renderDNSConfig,
  resolveDNSConfigProps,
  type DNSConfigProps,
} from '../../src/internal';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

function resolve(props: DNSConfigProps, name = 'ts-net') {
  return resolveDNSConfigProps(`DNSConfig '${name}'`, name, props);
}

describe('renderDNSConfig', () => {
  test('cluster-scoped, the pinned image always rendered', () => {
    expect(renderDNSConfig(resolve({}))).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'DNSConfig',
      metadata: { name: 'ts-net', labels: MANAGED },
      spec: { nameserver: { image: { repo: 'tailscale/k8s-nameserver', tag: 'v1.102.3' } } },
    });
  });

  test('replicas, the Service ClusterIP and pod scheduling in the operator words', () => {
    const affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
    };
    expect(
      renderDNSConfig(
        resolve({
          replicas: 2,
          clusterIP: '10.96.0.53',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }],
          affinity,
        }),
      )['spec'],
    ).toStrictEqual({
      nameserver: {
        image: { repo: 'tailscale/k8s-nameserver', tag: 'v1.102.3' },
        replicas: 2,
        service: { clusterIP: '10.96.0.53' },
        pod: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }],
          affinity,
        },
      },
    });
  });
});

describe('the CoreDNS stub', () => {
  test('a server block forwarding ts.net to the nameserver', () => {
    expect(corednsServerBlock('10.96.0.53')).toBe(
      'ts.net:53 {\n    errors\n    cache 30\n    forward . 10.96.0.53\n}\n',
    );
    expect(corednsServerBlock('fd00:10:96::53')).toContain('forward . [fd00:10:96::53]:53');
  });

  test('rendered as a ConfigMap of *.server blocks only when asked', () => {
    expect(renderCoreDnsStub(resolve({ clusterIP: '10.96.0.53' }))).toBeUndefined();
    expect(renderCoreDnsStub(resolve({ clusterIP: '10.96.0.53', coreDnsStub: {} }))).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns-custom', namespace: 'kube-system', labels: MANAGED },
      data: { 'tailscale-ts-net.server': corednsServerBlock('10.96.0.53') },
    });
  });
});

describe('one per cluster', () => {
  test('claims the cluster DNSConfig and nothing on the tailnet', () => {
    expect(dnsConfigRequirements("DNSConfig 'ts-net'", resolve({}))).toStrictEqual({
      source: "DNSConfig 'ts-net'",
      claims: [
        {
          kind: 'cluster-object',
          field: 'name',
          objectKind: 'DNSConfig',
          name: 'ts-net',
          onePerCluster: true,
        },
      ],
    });
  });

  test('fails when the program has a second DNSConfig, even under another name', () => {
    // GIVEN
    const model = new TailnetModel("Tailnet 'tailnet'");
    model.register(dnsConfigRequirements("DNSConfig 'a'", resolve({}, 'a')));
    model.register(dnsConfigRequirements("DNSConfig 'b'", resolve({}, 'b')));

    // WHEN
    let error: unknown;
    try {
      model.seal();
    } catch (e) {
      error = e;
    }

    // THEN
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(
      "DNSConfig 'b': `name` must be one DNSConfig per cluster, got \"b\"; DNSConfig 'a' is the cluster's DNSConfig already",
    );
  });
});
