import {
  DNSConfig,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
} from '@tailkube/pulumi';
import { captureOptions, capturedOf, dependsOn, only } from './helpers/pulumi';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const DNS_CONFIG = 'kubernetes:tailscale.com/v1alpha1:DNSConfig';
const CHART = 'kubernetes:helm.sh/v4:Chart';

describe('DNSConfig (Pulumi)', () => {
  test('the DNSConfig custom resource with the pinned image, and the CoreDNS stub when asked', async () => {
    // WHEN
    let dns: DNSConfig | undefined;
    const mocked = await runWithMocks(() =>
      tailnetProgram({}, () => {
        dns = new DNSConfig('ts-net', { clusterIP: '10.96.0.53', coreDnsStub: {} });
      }),
    );

    // THEN
    expect(only(mocked, DNS_CONFIG).inputs).toStrictEqual({
      apiVersion: 'tailscale.com/v1alpha1',
      kind: 'DNSConfig',
      metadata: { name: 'ts-net', labels: MANAGED },
      spec: {
        nameserver: {
          image: { repo: 'tailscale/k8s-nameserver', tag: 'v1.102.3' },
          service: { clusterIP: '10.96.0.53' },
        },
      },
    });
    const block = 'ts.net:53 {\n    errors\n    cache 30\n    forward . 10.96.0.53\n}\n';
    expect(dns!.corednsServerBlock).toBe(block);
    expect(only(mocked, 'kubernetes:core/v1:ConfigMap').inputs).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns-custom', namespace: 'kube-system', labels: MANAGED },
      data: { 'tailscale-ts-net.server': block },
    });
  });

  test('waits for the operator chart, which installs its CRD', async () => {
    const capture = captureOptions();
    const opts = { transformations: [capture.transformation] };
    await runWithMocks(() => {
      const tailnet = new Tailnet('tailnet', {}, opts);
      new DNSConfig('ts-net', { tailnet }, opts);
      new TailscaleOperator('operator', { tailnet }, opts);
      tailnet.seal();
    });
    expect(await dependsOn(capturedOf(capture.captured, DNS_CONFIG).opts)).toStrictEqual([
      capturedOf(capture.captured, CHART).resource,
    ]);
  });

  test('fails when the program has a second DNSConfig (named in path order, so the message is stable)', async () => {
    const error: unknown = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new DNSConfig('ts-net');
        new DNSConfig('other');
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isValidationError(error)).toBe(true);
    expect((error as ValidationError).message).toBe(
      "DNSConfig 'ts-net': `name` must be one DNSConfig per cluster, got \"ts-net\"; DNSConfig 'other' is the cluster's DNSConfig already",
    );
  });
});
