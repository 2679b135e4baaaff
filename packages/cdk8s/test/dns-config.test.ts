import { Chart, Testing } from 'cdk8s';
import {
  DNSConfig,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
} from '@tailkube/cdk8s';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

describe('DNSConfig (cdk8s)', () => {
  test("runs the nameserver of the operator's chosen release and registry", () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'dns');
    const operator = new TailscaleOperator(chart, 'operator', {
      version: '1.94.2',
      imageRegistry: 'ghcr.io/tailscale',
    });

    // WHEN
    new DNSConfig(chart, 'ts-net', { operator });

    // THEN
    const dnsConfig = Testing.synth(chart).find((o) => o['kind'] === 'DNSConfig') as {
      spec: { nameserver: { image: unknown } };
    };
    expect(dnsConfig.spec.nameserver.image).toStrictEqual({
      repo: 'ghcr.io/tailscale/k8s-nameserver',
      tag: 'v1.94.2',
    });
  });

  test('cluster-scoped in a namespaced chart, with the pinned nameserver image, schema-valid', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'dns', { namespace: 'apps' });

    // WHEN
    const dns = new DNSConfig(chart, 'ts-net');

    // THEN
    const objects = Testing.synth(chart);
    expect(objects).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'DNSConfig',
        metadata: { name: 'ts-net', labels: MANAGED },
        spec: { nameserver: { image: { repo: 'tailscale/k8s-nameserver', tag: 'v1.102.3' } } },
      },
    ]);
    expectValidKubeObjects(objects);
    expect(dns.corednsServerBlock).toBeUndefined();
    expect(dns.coreDnsStub).toBeUndefined();
  });

  test('a fixed ClusterIP gives the CoreDNS block, and the stub ConfigMap when asked', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'dns');

    // WHEN
    const dns = new DNSConfig(chart, 'ts-net', {
      replicas: 2,
      clusterIP: '10.96.0.53',
      tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }],
      coreDnsStub: {},
    });

    // THEN
    const objects = Testing.synth(chart);
    expectValidKubeObjects(objects);
    const block = 'ts.net:53 {\n    errors\n    cache 30\n    forward . 10.96.0.53\n}\n';
    expect(dns.corednsServerBlock).toBe(block);
    expect(objects).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'DNSConfig',
        metadata: { name: 'ts-net', labels: MANAGED },
        spec: {
          nameserver: {
            image: { repo: 'tailscale/k8s-nameserver', tag: 'v1.102.3' },
            replicas: 2,
            service: { clusterIP: '10.96.0.53' },
            pod: { tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }] },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'coredns-custom', namespace: 'kube-system', labels: MANAGED },
        data: { 'tailscale-ts-net.server': block },
      },
    ]);
  });

  test('adds nothing to the tailnet policy', () => {
    const policy = (withDns: boolean) => {
      const app = Testing.app();
      new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
      if (withDns) new DNSConfig(new Chart(app, 'dns'), 'ts-net');
      return Tailnet.of(app).synth().text;
    };
    expect(policy(true)).toBe(policy(false));
  });

  test('fails when the app has a second DNSConfig, naming the first', () => {
    // GIVEN
    const app = Testing.app();
    new DNSConfig(new Chart(app, 'a'), 'ts-net');
    new DNSConfig(new Chart(app, 'b'), 'other');

    // WHEN
    const error = validationError(() => Tailnet.of(app).synth());

    // THEN
    expect(error.message).toBe(
      "DNSConfig 'b/other': `name` must be one DNSConfig per cluster, got \"other\"; DNSConfig 'a/ts-net' is the cluster's DNSConfig already",
    );
  });

  test('fails when a CoreDNS stub is asked for without a ClusterIP, before the construct exists', () => {
    const chart = new Chart(Testing.app(), 'dns');
    const error = validationError(() => new DNSConfig(chart, 'ts-net', { coreDnsStub: {} }));
    expect([error.path, error.field]).toStrictEqual(["DNSConfig 'dns/ts-net'", 'coreDnsStub']);
    expect(chart.node.tryFindChild('ts-net')).toBeUndefined();
  });
});
