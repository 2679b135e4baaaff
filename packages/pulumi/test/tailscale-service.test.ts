import * as k8s from '@pulumi/kubernetes';
import type { IProxyGroup } from '@tailkube/core';
import {
  TailscaleOperator,
  TailscaleService,
  type Tailnet,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
  type TailnetSynthesis,
} from '@tailkube/pulumi';
import { expectValidKubeObjects } from '../../../test/helpers/schemas';
import { captureOptions, capturedOf, only } from './helpers/pulumi';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const SERVICE = 'kubernetes:core/v1:Service';
const BASE_POLICY = '{"groups": {"group:eng": ["alice@example.com"]}}';
const GROUP: IProxyGroup<'ingress'> = {
  name: 'ingress',
  proxyGroupType: 'ingress',
  tags: ['tag:ingress'],
  replicas: 2,
};

/** Runs `program` in a tailnet program with an operator under mocks; returns the run and synthesis. */
async function run(program: (tailnet: Tailnet) => void) {
  let tailnet: Tailnet | undefined;
  const mocked = await runWithMocks(() =>
    tailnetProgram({ basePolicy: BASE_POLICY, allowAll: 'deny' }, (t) => {
      tailnet = t;
      new TailscaleOperator('operator');
      // What the ProxyGroup component registers for its devices.
      t.register({ source: "ProxyGroup 'ingress'", proxyTags: GROUP.tags });
      program(t);
    }),
  );
  const synthesis: TailnetSynthesis = tailnet!.seal();
  return { ...mocked, synthesis };
}

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error: unknown = await promise.then(
    () => new Error('expected a ValidationError, but nothing was thrown'),
    (e: unknown) => e,
  );
  expect(isValidationError(error)).toBe(true);
  return error as ValidationError;
}

/** The program's own Service resource: port 80 → 8080 on `app: web`. */
function webService(): k8s.core.v1.Service {
  return new k8s.core.v1.Service('web', {
    metadata: { name: 'web', namespace: 'apps' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
}

function companion(
  mocked: { resources: readonly { type: string; name: string; inputs: unknown }[] },
  name: string,
) {
  return mocked.resources.find((r) => r.type === SERVICE && r.name === name)?.inputs as Record<
    string,
    unknown
  >;
}

describe('TailscaleService (Pulumi)', () => {
  test('a Service resource: a companion LoadBalancer of class tailscale on the same pods and target ports', async () => {
    // WHEN
    const mocked = await run(() => {
      new TailscaleService('web-ts', {
        service: { name: 'web', namespace: 'apps', resource: webService() },
        ports: [{ port: 80 }],
        tags: ['tag:web'],
      });
    });

    // THEN
    expect(only(mocked, 'tailkube:index:TailscaleService').name).toBe('web-ts');
    const inputs = companion(mocked, 'web-ts');
    expect(inputs).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web-tailscale',
        namespace: 'apps',
        labels: MANAGED,
        annotations: { 'tailscale.com/hostname': 'apps-web', 'tailscale.com/tags': 'tag:web' },
      },
      spec: {
        type: 'LoadBalancer',
        loadBalancerClass: 'tailscale',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      },
    });
    expectValidKubeObjects([inputs as never]);
    expect(mocked.synthesis.report.hostnames).toContain('apps-web');
  });

  test('maps a port to another target port: tailnet 80 to pods serving 8080', async () => {
    const mocked = await run(() => {
      new TailscaleService('web-ts', {
        service: { name: 'web', namespace: 'apps', resource: webService() },
        ports: [{ port: 8443, targetPort: 8080 }],
      });
    });
    const inputs = companion(mocked, 'web-ts');
    expect((inputs['spec'] as Record<string, unknown>)['ports']).toStrictEqual([
      { port: 8443, protocol: 'TCP', targetPort: 8080 },
    ]);
    expectValidKubeObjects([inputs as never]);
  });

  test('the same props as cdk8s: a Service known by name gets an ExternalName companion', async () => {
    let exposed: TailscaleService | undefined;
    const mocked = await run(() => {
      exposed = new TailscaleService('grafana', {
        service: { name: 'grafana', namespace: 'monitoring' },
        ports: [{ port: 3000 }],
      });
    });
    expect(exposed!.hostname).toBe('monitoring-grafana');
    expect(companion(mocked, 'grafana')['spec']).toStrictEqual({
      type: 'ExternalName',
      externalName: 'grafana.monitoring.svc.cluster.local',
    });
  });

  test('tags replace the companion; it waits for the Service it selects', async () => {
    const capture = captureOptions();
    let web: k8s.core.v1.Service | undefined;
    await runWithMocks(() =>
      tailnetProgram({}, () => {
        new TailscaleOperator('operator');
        web = webService();
        new TailscaleService(
          'web-ts',
          { service: { name: 'web', namespace: 'apps', resource: web }, ports: [{ port: 80 }] },
          { transformations: [capture.transformation] },
        );
      }),
    );
    const options = capturedOf(capture.captured, SERVICE).opts;
    expect(options.replaceOnChanges).toStrictEqual(['metadata.annotations["tailscale.com/tags"]']);
    expect(options.dependsOn).toStrictEqual([web]);
  });

  test('allow() on a ProxyGroup grants svc:<hostname>, approved for the group tags', async () => {
    let grant: unknown;
    const mocked = await run(() => {
      const exposed = new TailscaleService('web-ts', {
        service: { name: 'web', namespace: 'apps', resource: webService() },
        proxyGroup: GROUP,
        hostname: 'web',
        ports: [{ port: 80 }],
      });
      [grant] = exposed.allow(['group:eng']).grants;
    });
    expect(grant).toStrictEqual({ src: ['group:eng'], dst: ['svc:web'], ip: ['tcp:80'] });
    expect(companion(mocked, 'web-ts')['metadata']).toMatchObject({
      annotations: { 'tailscale.com/proxy-group': 'ingress' },
    });
    expect(mocked.synthesis.document.grants).toStrictEqual([grant]);
    expect(mocked.synthesis.document.autoApprovers?.services).toStrictEqual({ 'svc:web': ['tag:ingress'] });
    expect(mocked.synthesis.report.operator?.scopes).toContain('services');
  });

  test('fails when a ProxyGroup is asked for a Service known only by name', async () => {
    const error = await rejection(
      run(() => {
        new TailscaleService('db', { service: { name: 'db' }, proxyGroup: GROUP, ports: [{ port: 5432 }] });
      }),
    );
    expect(error.path).toBe("TailscaleService 'db'");
    expect(error.field).toBe('proxyGroup');
  });

  test('fails when asked to annotate a Service resource it cannot change', async () => {
    const error = await rejection(
      run(() => {
        new TailscaleService('web-ts', {
          service: { name: 'web', resource: webService() },
          mechanism: 'annotate',
          ports: [{ port: 80 }],
        });
      }),
    );
    expect(error.field).toBe('mechanism');
  });

  test('fails when no port is given for a Service whose ports are unknown', async () => {
    const error = await rejection(
      run(() => {
        new TailscaleService('db', { service: { name: 'db' } });
      }),
    );
    expect(error.field).toBe('ports');
  });
});
