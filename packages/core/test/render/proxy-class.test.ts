import {
  TailnetModel,
  ValidationError,
  proxyClassRequirements,
  renderProxyClass,
  resolveProxyClassProps,
  type ProxyClassProps,
} from '../../src/internal';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

function resolve(props: ProxyClassProps, name = 'prod') {
  return resolveProxyClassProps(`ProxyClass '${name}'`, name, props);
}

describe('renderProxyClass', () => {
  test('pod scheduling and DNS settings pass through in the CRD shape', () => {
    const dns = {
      nameservers: ['10.96.0.10'],
      searches: ['corp.example.com'],
      options: [{ name: 'ndots', value: '2' }],
    };
    expect(
      renderProxyClass(
        resolve({ statefulSet: { pod: { nodeName: 'edge-1', dnsPolicy: 'None', dnsConfig: dns } } }),
      ).spec,
    ).toStrictEqual({
      statefulSet: { pod: { nodeName: 'edge-1', dnsPolicy: 'None', dnsConfig: dns } },
    });
  });

  test('an empty ProxyClass still has a spec (the CRD requires one)', () => {
    expect(renderProxyClass(resolve({}))).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'ProxyClass',
      metadata: { name: 'prod', labels: MANAGED },
      spec: {},
    });
  });

  test('the CRD shape, pull secrets as references, nothing tailkube-only', () => {
    expect(
      renderProxyClass(
        resolve({
          statefulSet: {
            labels: { team: 'platform' },
            pod: {
              imagePullSecrets: ['regcred'],
              tailscaleContainer: { resources: { limits: { memory: '128Mi' } } },
            },
          },
          metrics: { enable: true },
          tailscale: { acceptRoutes: true },
          useLetsEncryptStagingEnvironment: true,
          staticEndpoints: { nodePort: { ports: [{ port: 30100, endPort: 30110 }] } },
          clusterNodePortRange: { port: 30000, endPort: 32767 },
        }),
      ),
    ).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'ProxyClass',
      metadata: { name: 'prod', labels: MANAGED },
      spec: {
        statefulSet: {
          labels: { team: 'platform' },
          pod: {
            tailscaleContainer: { resources: { limits: { memory: '128Mi' } } },
            imagePullSecrets: [{ name: 'regcred' }],
          },
        },
        metrics: { enable: true },
        tailscale: { acceptRoutes: true },
        useLetsEncryptStagingEnvironment: true,
        staticEndpoints: { nodePort: { ports: [{ port: 30100, endPort: 30110 }] } },
      },
    });
  });
});

describe('proxyClassRequirements', () => {
  test('no tags, no policy; only the NodePorts it takes', () => {
    expect(proxyClassRequirements("ProxyClass 'prod'", resolve({}))).toStrictEqual({
      source: "ProxyClass 'prod'",
      claims: [{ kind: 'cluster-object', field: 'name', objectKind: 'ProxyClass', name: 'prod' }],
    });
    expect(
      proxyClassRequirements(
        "ProxyClass 'prod'",
        resolve({
          staticEndpoints: { nodePort: { ports: [{ port: 30100 }, { port: 30200, endPort: 30210 }] } },
        }),
      ),
    ).toStrictEqual({
      source: "ProxyClass 'prod'",
      claims: [
        { kind: 'cluster-object', field: 'name', objectKind: 'ProxyClass', name: 'prod' },
        { kind: 'node-ports', field: 'staticEndpoints.nodePort.ports', port: 30100, endPort: 30100 },
        { kind: 'node-ports', field: 'staticEndpoints.nodePort.ports', port: 30200, endPort: 30210 },
      ],
    });
  });

  test('fails when two ProxyClasses in the program take clashing NodePorts', () => {
    const model = new TailnetModel("Tailnet 't'");
    model.register(
      proxyClassRequirements(
        "ProxyClass 'a'",
        resolve({ staticEndpoints: { nodePort: { ports: [{ port: 30100, endPort: 30110 }] } } }, 'a'),
      ),
    );
    model.register(
      proxyClassRequirements(
        "ProxyClass 'b'",
        resolve({ staticEndpoints: { nodePort: { ports: [{ port: 30110 }] } } }, 'b'),
      ),
    );
    let error: unknown;
    try {
      model.seal();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect({ path: v.path, field: v.field, value: v.value, allowed: v.allowed }).toStrictEqual({
      path: "ProxyClass 'b'",
      field: 'staticEndpoints.nodePort.ports',
      value: '30110',
      allowed: 'NodePorts no other ProxyClass in the program uses',
    });
    expect(v.message).toContain("ProxyClass 'a' uses 30100-30110");
  });
});
