import { validateKubeObject } from './schemas';

const TS = 'tailscale.com/v1alpha1';
const meta = { name: 'x' };

/** CEL rules of every operator CRD that has any besides transition rules, each broken once. */
describe("validateKubeObject runs the CRDs' CEL rules", () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      'Connector: at least one mode',
      { apiVersion: TS, kind: 'Connector', metadata: meta, spec: {} },
      "tailscale.com/v1alpha1 Connector 'x': /spec A Connector needs to have at least one of exit node, subnet router or app connector configured.",
    ],
    [
      'Connector: an app connector alone',
      { apiVersion: TS, kind: 'Connector', metadata: meta, spec: { exitNode: true, appConnector: {} } },
      "tailscale.com/v1alpha1 Connector 'x': /spec The appConnector field is mutually exclusive with exitNode and subnetRouter fields.",
    ],
    [
      'Connector: hostname with replicas > 1',
      {
        apiVersion: TS,
        kind: 'Connector',
        metadata: meta,
        spec: { exitNode: true, hostname: 'host', replicas: 2 },
      },
      "tailscale.com/v1alpha1 Connector 'x': /spec The hostname field cannot be specified when replicas is greater than 1.",
    ],
    [
      'Connector: hostname and hostnamePrefix',
      {
        apiVersion: TS,
        kind: 'Connector',
        metadata: meta,
        spec: { exitNode: true, hostname: 'host', hostnamePrefix: 'p' },
      },
      "tailscale.com/v1alpha1 Connector 'x': /spec The hostname and hostnamePrefix fields are mutually exclusive.",
    ],
    [
      'ProxyClass: a ServiceMonitor needs metrics',
      {
        apiVersion: TS,
        kind: 'ProxyClass',
        metadata: meta,
        spec: { metrics: { enable: false, serviceMonitor: { enable: true } } },
      },
      "tailscale.com/v1alpha1 ProxyClass 'x': /spec/metrics ServiceMonitor can only be enabled if metrics are enabled",
    ],
    [
      'Recorder: several replicas need S3',
      { apiVersion: TS, kind: 'Recorder', metadata: meta, spec: { replicas: 2 } },
      "tailscale.com/v1alpha1 Recorder 'x': /spec S3 storage must be used when deploying multiple Recorder replicas",
    ],
    [
      'PeerRelay: an elastic IP per replica',
      {
        apiVersion: TS,
        kind: 'PeerRelay',
        metadata: meta,
        spec: { replicas: 2, aws: { elasticIPs: [{ allocationID: 'eipalloc-1a', subnetID: 'subnet-1' }] } },
      },
      "tailscale.com/v1alpha1 PeerRelay 'x': /spec spec.aws.elasticIPs must contain at least one entry per replica",
    ],
  ])('fails when %s is broken', (_, object, error) => {
    expect(validateKubeObject(object)).toStrictEqual([error]);
  });

  test.each<[string, Record<string, unknown>]>([
    [
      'Connector',
      {
        apiVersion: TS,
        kind: 'Connector',
        metadata: meta,
        spec: { exitNode: true, hostnamePrefix: 'p', replicas: 2 },
      },
    ],
    [
      'ProxyClass',
      {
        apiVersion: TS,
        kind: 'ProxyClass',
        metadata: meta,
        spec: { metrics: { enable: true, serviceMonitor: { enable: true } } },
      },
    ],
    ['Recorder', { apiVersion: TS, kind: 'Recorder', metadata: meta, spec: { replicas: 1 } }],
    // Transition rules (`self == oldSelf`: tailnet and type are immutable) only run on an update.
    [
      'ProxyGroup',
      { apiVersion: TS, kind: 'ProxyGroup', metadata: meta, spec: { type: 'ingress', tailnet: 't' } },
    ],
  ])('passes a %s that keeps every rule', (_, object) => {
    expect(validateKubeObject(object)).toStrictEqual([]);
  });

  test('runs rules on list items too (Flux HelmRelease remediation strategy)', () => {
    const release = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: meta,
      spec: {
        interval: '1h',
        chart: { spec: { chart: 'c', sourceRef: { kind: 'HelmRepository', name: 'r' } } },
      },
    };
    expect(validateKubeObject(release)).toStrictEqual([]);
    expect(validateKubeObject({ ...release, spec: { interval: '1h' } })).toStrictEqual([
      "helm.toolkit.fluxcd.io/v2 HelmRelease 'x': /spec either chart or chartRef must be set",
    ]);
  });
});
