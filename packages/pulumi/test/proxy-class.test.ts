import * as pulumi from '@pulumi/pulumi';
import {
  ProxyClass,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
} from '@tailkube/pulumi';
import { captureOptions, capturedOf, dependsOn, only } from './helpers/pulumi';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const PROXY_CLASS = 'kubernetes:tailscale.com/v1alpha1:ProxyClass';
const CHART = 'kubernetes:helm.sh/v4:Chart';

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error: unknown = await promise.then(
    () => new Error('expected a ValidationError, but nothing was thrown'),
    (e: unknown) => e,
  );
  expect(isValidationError(error)).toBe(true);
  return error as ValidationError;
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('ProxyClass (Pulumi)', () => {
  test('a component with the ProxyClass custom resource, in the CRD shape', async () => {
    // WHEN
    const mocked = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new ProxyClass('prod', {
          statefulSet: {
            pod: { imagePullSecrets: ['regcred'], priorityClassName: 'system-cluster-critical' },
          },
          metrics: { enable: true },
        });
      }),
    );

    // THEN
    expect(only(mocked, 'tailkube:index:ProxyClass').name).toBe('prod');
    expect(only(mocked, PROXY_CLASS)).toStrictEqual({
      type: PROXY_CLASS,
      name: 'prod',
      inputs: {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'ProxyClass',
        metadata: { name: 'prod', labels: MANAGED },
        spec: {
          statefulSet: {
            pod: { priorityClassName: 'system-cluster-critical', imagePullSecrets: [{ name: 'regcred' }] },
          },
          metrics: { enable: true },
        },
      },
    });
  });

  test('passes node name and DNS settings through to the pods', async () => {
    const dnsConfig = { nameservers: ['10.0.0.53'], searches: ['corp.example.com'] };
    const mocked = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new ProxyClass('edge', {
          statefulSet: { pod: { nodeName: 'edge-1', dnsPolicy: 'None', dnsConfig } },
        });
      }),
    );
    expect(only(mocked, PROXY_CLASS).inputs['spec']).toStrictEqual({
      statefulSet: { pod: { nodeName: 'edge-1', dnsPolicy: 'None', dnsConfig } },
    });
  });

  test('fails when a DNS name server is not an IP address', async () => {
    const error = await rejection(
      runWithMocks(() =>
        tailnetProgram({}, () => {
          new ProxyClass('edge', { statefulSet: { pod: { dnsConfig: { nameservers: ['dns.google'] } } } });
        }),
      ),
    );
    expect(fields(error)).toStrictEqual({
      path: "ProxyClass 'edge'",
      field: 'statefulSet.pod.dnsConfig.nameservers[0]',
      value: 'dns.google',
      allowed: 'an IP address such as "1.1.1.1"',
    });
  });

  test('logs that TS_EXTRA_ARGS on the init container does nothing', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockResolvedValue();
    let pc: ProxyClass | undefined;
    await runWithMocks(() =>
      tailnetProgram({}, () => {
        pc = new ProxyClass('tagged', {
          statefulSet: {
            pod: {
              tailscaleInitContainer: { env: [{ name: 'TS_EXTRA_ARGS', value: '--advertise-tags=tag:a' }] },
            },
          },
        });
      }),
    );
    expect(pc!.warnings).toHaveLength(1);
    expect(pc!.warnings[0]).toMatch(
      /does nothing there: the init container is the sysctler .*tags belong in `tags`/,
    );
    expect(warn).toHaveBeenCalledWith(pc!.warnings[0], pc);
    warn.mockRestore();
  });

  test('waits for the operator chart, which installs its CRD', async () => {
    const capture = captureOptions();
    const opts = { transformations: [capture.transformation] };
    await runWithMocks(() => {
      const tailnet = new Tailnet('tailnet', {}, opts);
      new TailscaleOperator('operator', { tailnet }, opts);
      new ProxyClass('prod', { tailnet }, opts);
      tailnet.seal();
    });
    expect(await dependsOn(capturedOf(capture.captured, PROXY_CLASS).opts)).toStrictEqual([
      capturedOf(capture.captured, CHART).resource,
    ]);
  });

  test('fromName refers to a ProxyClass the program does not own', () => {
    expect(ProxyClass.fromName('platform-default')).toStrictEqual({ name: 'platform-default' });
  });

  test('logs a warning for TS_* variables', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockResolvedValue();
    let pc: ProxyClass | undefined;
    await runWithMocks(() =>
      tailnetProgram({}, () => {
        pc = new ProxyClass('debug', {
          statefulSet: { pod: { tailscaleContainer: { env: [{ name: 'TS_USERSPACE', value: 'true' }] } } },
        });
      }),
    );
    const message =
      'ProxyClass \'debug\': `statefulSet.pod.tailscaleContainer.env[0]` sets "TS_USERSPACE", which overrides ' +
      'a variable the operator sets; running proxies with custom Tailscale environment variables is not ' +
      'recommended and might break in the future';
    expect(pc!.warnings).toStrictEqual([message]);
    expect(warn).toHaveBeenCalledWith(message, pc);
    warn.mockRestore();
  });

  test('fails when a static endpoint NodePort lies outside the cluster range', async () => {
    const error = await rejection(
      runWithMocks(() =>
        tailnetProgram({}, () => {
          new ProxyClass('prod', { staticEndpoints: { nodePort: { ports: [{ port: 8080 }] } } });
        }),
      ),
    );
    expect(fields(error)).toStrictEqual({
      path: "ProxyClass 'prod'",
      field: 'staticEndpoints.nodePort.ports[0].port',
      value: 8080,
      allowed: 'a port from 30000 to 32767',
    });
  });

  test('fails when fromName is given an invalid name', () => {
    let error: unknown;
    try {
      ProxyClass.fromName('Prod');
    } catch (e) {
      error = e;
    }
    expect(isValidationError(error)).toBe(true);
    expect(fields(error as ValidationError)).toStrictEqual({
      path: "ProxyClass 'Prod'",
      field: 'name',
      value: 'Prod',
      allowed: 'a Kubernetes object name: at most 253 lower-case letters, digits, dashes and dots',
    });
  });
});
