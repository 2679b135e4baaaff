import { Chart, Testing } from 'cdk8s';
import {
  Connector,
  ProxyClass,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
} from '@tailkube/cdk8s';
import { validateKubeObject } from '../../../test/helpers/schemas';

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

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('ProxyClass (cdk8s)', () => {
  test('defaults: an empty spec, cluster-scoped in a namespaced chart', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'platform', { namespace: 'apps' });

    // WHEN
    new ProxyClass(chart, 'prod');

    // THEN
    expect(Testing.synth(chart)).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'ProxyClass',
        metadata: { name: 'prod', labels: MANAGED },
        spec: {},
      },
    ]);
  });

  test('what a platform team sets, valid against the CRD', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'platform');

    // WHEN
    new ProxyClass(chart, 'prod', {
      statefulSet: {
        pod: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-cluster-critical',
          imagePullSecrets: ['regcred'],
          tailscaleContainer: { resources: { requests: { cpu: '50m', memory: '64Mi' } } },
        },
      },
      metrics: { enable: true, serviceMonitor: { enable: true, labels: { release: 'prometheus' } } },
      tailscale: { acceptRoutes: true },
    });

    // THEN
    const objects = Testing.synth(chart);
    expect(objects).toStrictEqual([
      {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'ProxyClass',
        metadata: { name: 'prod', labels: MANAGED },
        spec: {
          statefulSet: {
            pod: {
              nodeSelector: { 'kubernetes.io/os': 'linux' },
              priorityClassName: 'system-cluster-critical',
              tailscaleContainer: { resources: { requests: { cpu: '50m', memory: '64Mi' } } },
              imagePullSecrets: [{ name: 'regcred' }],
            },
          },
          metrics: { enable: true, serviceMonitor: { enable: true, labels: { release: 'prometheus' } } },
          tailscale: { acceptRoutes: true },
        },
      },
    ]);
    expect(objects.flatMap((o) => validateKubeObject(o))).toStrictEqual([]);
  });

  test('pins proxies to a node with their own DNS, valid against the CRD', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'platform');
    const dnsConfig = {
      nameservers: ['10.0.0.53'],
      searches: ['corp.example.com'],
      options: [{ name: 'ndots', value: '1' }],
    };

    // WHEN
    new ProxyClass(chart, 'edge', {
      statefulSet: { pod: { nodeName: 'edge-1', dnsPolicy: 'None', dnsConfig } },
    });

    // THEN
    const objects = Testing.synth(chart);
    expect(objects[0]!['spec']).toStrictEqual({
      statefulSet: { pod: { nodeName: 'edge-1', dnsPolicy: 'None', dnsConfig } },
    });
    expect(objects.flatMap((o) => validateKubeObject(o))).toStrictEqual([]);
  });

  test('fails when dnsPolicy is None without a name server, before the construct exists', () => {
    const chart = new Chart(Testing.app(), 'platform');
    const error = validationError(
      () => new ProxyClass(chart, 'edge', { statefulSet: { pod: { dnsPolicy: 'None' } } }),
    );
    expect(fields(error)).toStrictEqual({
      path: "ProxyClass 'platform/edge'",
      field: 'statefulSet.pod.dnsConfig.nameservers',
      value: undefined,
      allowed: 'at least one name server when `dnsPolicy` is "None"',
    });
    expect(chart.node.children).toStrictEqual([]);
  });

  test('adds nothing to the tailnet policy: a ProxyClass carries no tags', () => {
    // GIVEN
    const policyOf = (withProxyClass: boolean) => {
      const app = Testing.app();
      new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
      if (withProxyClass)
        new ProxyClass(new Chart(app, 'platform'), 'prod', { tailscale: { acceptRoutes: true } });
      return Tailnet.of(app).synth().text;
    };

    // THEN
    expect(policyOf(true)).toBe(policyOf(false));
  });

  test('fromName refers to a ProxyClass the program does not own, rendering nothing', () => {
    // GIVEN
    const app = Testing.app();
    new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    const chart = new Chart(app, 'home');

    // WHEN
    const shared = ProxyClass.fromName(chart, 'shared', 'platform-default');
    new Connector(chart, 'exit', { exitNode: true, proxyClass: shared });

    // THEN
    expect(shared.name).toBe('platform-default');
    expect(Testing.synth(chart).map((o) => o['kind'])).toStrictEqual(['Connector']);
  });

  test('warns about TS_* variables and still renders them as asked', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'platform');
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);

    // WHEN
    const pc = new ProxyClass(chart, 'debug', {
      statefulSet: {
        pod: { tailscaleContainer: { env: [{ name: 'TS_DEBUG_FIREWALL_MODE', value: 'auto' }] } },
      },
    });

    // THEN
    const message =
      'ProxyClass \'platform/debug\': `statefulSet.pod.tailscaleContainer.env[0]` sets "TS_DEBUG_FIREWALL_MODE", ' +
      'which overrides a variable the operator sets; running proxies with custom Tailscale environment variables ' +
      'is not recommended and might break in the future';
    expect(pc.warnings).toStrictEqual([message]);
    expect(emit).toHaveBeenCalledWith(message, 'TailkubeWarning');
    emit.mockRestore();
  });

  test('says TS_EXTRA_ARGS on the init container does nothing, and where tags belong', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'platform');
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);

    // WHEN
    const pc = new ProxyClass(chart, 'tagged', {
      statefulSet: {
        pod: {
          tailscaleInitContainer: { env: [{ name: 'TS_EXTRA_ARGS', value: '--advertise-tags=tag:prod' }] },
        },
      },
    });

    // THEN
    const message =
      'ProxyClass \'platform/tagged\': `statefulSet.pod.tailscaleInitContainer.env[0]` sets "TS_EXTRA_ARGS", ' +
      'which does nothing there: the init container is the sysctler that turns on IP forwarding, not ' +
      'tailscaled; tags belong in `tags` of the Connector, ProxyGroup, Service or Ingress that uses this ' +
      'class (a ProxyClass carries none), which the tailnet policy is derived from';
    expect(pc.warnings).toStrictEqual([message]);
    expect(emit).toHaveBeenCalledWith(message, 'TailkubeWarning');
    emit.mockRestore();
  });

  test('fails when a ServiceMonitor is enabled without metrics, before the construct exists', () => {
    const chart = new Chart(Testing.app(), 'platform');
    const error = validationError(
      () => new ProxyClass(chart, 'prod', { metrics: { enable: false, serviceMonitor: { enable: true } } }),
    );
    expect(fields(error)).toStrictEqual({
      path: "ProxyClass 'platform/prod'",
      field: 'metrics.serviceMonitor.enable',
      value: true,
      allowed: 'false unless `metrics.enable` is true',
    });
    expect(chart.node.tryFindChild('prod')).toBeUndefined();
  });

  test('fails when fromName is given an invalid name', () => {
    const chart = new Chart(Testing.app(), 'platform');
    expect(fields(validationError(() => ProxyClass.fromName(chart, 'x', 'Prod')))).toStrictEqual({
      path: "ProxyClass 'platform/x'",
      field: 'name',
      value: 'Prod',
      allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
    });
  });

  test('fails when two ProxyClasses take clashing static endpoint NodePorts, at synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    new ProxyClass(chart, 'a', {
      staticEndpoints: { nodePort: { ports: [{ port: 30100, endPort: 30110 }] } },
    });
    new ProxyClass(chart, 'b', { staticEndpoints: { nodePort: { ports: [{ port: 30105 }] } } });
    expect(fields(validationError(() => Tailnet.of(app).synth()))).toStrictEqual({
      path: "ProxyClass 'platform/b'",
      field: 'staticEndpoints.nodePort.ports',
      value: '30105',
      allowed: 'NodePorts no other ProxyClass in the program uses',
    });
  });
});
