import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
import { runPulumiChild } from './helpers/child-process';
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

describe('TailscaleService (Pulumi): the target resource checked as cdk8s checks it', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-service-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /**
   * Exposes the Service `spec` declares, with `ports`, in a child process, and returns how the
   * program failed. The target's ports are an Output, so core checks them when it resolves and the
   * error fails the companion's registration: the program's failure, as Pulumi reports it.
   */
  function failure(spec: unknown, ports: unknown): Record<string, unknown> {
    const child = runPulumiChild(
      dir,
      'service',
      `const k8s = require(require.resolve('@pulumi/kubernetes', { paths: [root] }));
process.on('unhandledRejection', (error) => {
  const { path, field, value, allowed } = error;
  console.log(JSON.stringify({ validation: tailkube.isValidationError(error), path, field, value, allowed }));
  process.exit(1);
});
runWithMocks(() =>
  tailnetProgram({}, () => {
    new TailscaleOperator('operator');
    const db = new k8s.core.v1.Service('db', { metadata: { name: 'db', namespace: 'apps' }, spec: ${JSON.stringify(spec)} });
    new tailkube.TailscaleService('db', { service: { name: 'db', namespace: 'apps', resource: db }, ports: ${JSON.stringify(ports)} });
  }),
).then(() => console.log('{}'));`,
    );
    expect(child.stderr).toBe('');
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  }

  test('fails when the companion would have two unnamed ports', () => {
    expect(
      failure({ selector: { app: 'db' }, ports: [{ port: 5432 }, { port: 9187 }] }, [
        { port: 5432 },
        { port: 9187 },
      ]),
    ).toStrictEqual({
      validation: true,
      path: "TailscaleService 'db'",
      field: 'ports[0].name',
      allowed:
        'a port name: the companion Service has more than one port, and Kubernetes requires each of them named',
    });
  });

  test('fails when a port the target lacks has no target port', () => {
    expect(
      failure({ selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] }, [{ port: 5433 }]),
    ).toStrictEqual({
      validation: true,
      path: "TailscaleService 'db'",
      field: 'ports[0].targetPort',
      allowed: "the pods' port for 5433/TCP, which apps/db does not have",
    });
  });

  test('named ports of the target pass, and the companion takes their names (the control)', () => {
    expect(
      failure(
        {
          selector: { app: 'db' },
          ports: [
            { name: 'pg', port: 5432 },
            { name: 'metrics', port: 9187 },
          ],
        },
        [{ port: 5432 }, { port: 9187 }],
      ),
    ).toStrictEqual({});
  });
});
