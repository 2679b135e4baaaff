import {
  Connector,
  ProxyClass,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
  type ConnectorArgs,
  type TailnetSynthesis,
} from '@tailkube/pulumi';
import { captureOptions, capturedOf, dependsOn, only } from './helpers/pulumi';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const CONNECTOR = 'kubernetes:tailscale.com/v1alpha1:Connector';
const CHART = 'kubernetes:helm.sh/v4:Chart';
const HOME_OPS: ConnectorArgs = {
  subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
  exitNode: true,
  tags: ['tag:home-ops'],
};

/** A base policy that defines the groups the tests allow and own tags with. */
const BASE_POLICY =
  '{"groups": {"group:admins": ["alice@example.com"], "group:family": ["bob@example.com"]}}';

/** Runs `program` in a tailnet program under mocks; returns the run and the tailnet's synthesis. */
async function run(program: (tailnet: Tailnet) => void) {
  let tailnet: Tailnet | undefined;
  const mocked = await runWithMocks(() =>
    tailnetProgram({ allowAll: 'deny', basePolicy: BASE_POLICY }, (t) => {
      tailnet = t;
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

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('Connector (Pulumi)', () => {
  test('a component with the Connector custom resource, cluster-scoped', async () => {
    // WHEN
    const mocked = await run(() => {
      new TailscaleOperator('operator');
      new Connector('home-ops', HOME_OPS);
    });

    // THEN
    expect(only(mocked, 'tailkube:index:Connector').name).toBe('home-ops');
    expect(only(mocked, CONNECTOR)).toStrictEqual({
      type: CONNECTOR,
      name: 'home-ops',
      inputs: {
        apiVersion: 'tailscale.com/v1alpha1',
        kind: 'Connector',
        metadata: { name: 'home-ops', labels: MANAGED },
        spec: {
          subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
          exitNode: true,
          tags: ['tag:home-ops'],
        },
      },
    });
  });

  test('the same props as cdk8s: name, hostnames and the ProxyClass reference', async () => {
    let connector: Connector | undefined;
    const mocked = await run(() => {
      new TailscaleOperator('operator');
      const prod = new ProxyClass('prod');
      connector = new Connector('exit', {
        exitNode: true,
        hostnamePrefix: 'exit',
        replicas: 2,
        proxyClass: prod,
      });
    });
    expect(connector!.hostnames).toStrictEqual(['exit-0', 'exit-1']);
    expect(mocked.resources.find((r) => r.type === CONNECTOR)?.inputs['spec']).toStrictEqual({
      exitNode: true,
      hostnamePrefix: 'exit',
      replicas: 2,
      tags: ['tag:k8s'],
      proxyClass: 'prod',
    });
  });

  test('tags replace the resource, and it waits for the operator chart, even one declared later', async () => {
    // GIVEN
    const capture = captureOptions();
    const opts = { transformations: [capture.transformation] };

    // WHEN
    await runWithMocks(() => {
      const tailnet = new Tailnet('tailnet', {}, opts);
      new Connector('home-ops', { ...HOME_OPS, tailnet }, opts);
      new TailscaleOperator('operator', { tailnet }, opts);
      tailnet.seal();
    });

    // THEN
    const connector = capturedOf(capture.captured, CONNECTOR);
    expect(connector.opts.replaceOnChanges).toStrictEqual(['spec.tags', 'spec.tailnet']);
    expect(await dependsOn(connector.opts)).toStrictEqual([capturedOf(capture.captured, CHART).resource]);
  });

  test('without an operator it depends on nothing (the tags must be owned in the base policy)', async () => {
    const capture = captureOptions();
    await runWithMocks(() =>
      tailnetProgram(
        {
          allowAll: 'deny',
          basePolicy:
            '{"groups": {"group:admins": ["alice@example.com"]}, "tagOwners": {"tag:home-ops": ["group:admins"]}}',
        },
        () => {
          new Connector('home-ops', HOME_OPS, { transformations: [capture.transformation] });
        },
      ),
    );
    expect(await dependsOn(capturedOf(capture.captured, CONNECTOR).opts)).toStrictEqual([]);
  });

  test('the policy: routes and exit node approved for exactly the tags; allow() adds grants', async () => {
    // WHEN
    let grants: unknown;
    const { synthesis } = await run(() => {
      new TailscaleOperator('operator');
      grants = new Connector('home-ops', HOME_OPS).allow(['group:family']).grants;
    });

    // THEN
    const expected = [
      { src: ['group:family'], dst: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'], ip: ['*'] },
      { src: ['group:family'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:home-ops'] },
    ];
    expect(grants).toStrictEqual(expected);
    expect(synthesis.document.grants).toStrictEqual(expected);
    expect(synthesis.document.autoApprovers).toStrictEqual({
      routes: {
        '10.244.0.0/16': ['tag:home-ops'],
        '10.96.0.0/12': ['tag:home-ops'],
        '192.168.0.0/24': ['tag:home-ops'],
      },
      exitNode: ['tag:home-ops'],
    });
    expect(synthesis.document.tagOwners?.['tag:home-ops']).toStrictEqual(['tag:k8s-operator']);
  });

  test('allow() records the access it means, checked offline: routes and internet, not every member', async () => {
    const { synthesis } = await run(() => {
      new TailscaleOperator('operator');
      new Connector('home-ops', HOME_OPS).allow(['group:family'], { ports: ['tcp:443'] });
    });
    const targets = ['10.244.0.1', '10.96.0.1', '192.168.0.1', 'autogroup:internet'];
    expect(synthesis.report.intendedAccess).toStrictEqual(
      targets.flatMap((dst) => [
        { src: 'group:family', dst, port: 443, expect: 'allow' },
        { src: 'autogroup:member', dst, port: 443, expect: 'deny' },
      ]),
    );
  });

  test('fails when a default route is advertised, before the component exists', async () => {
    const error = await rejection(
      runWithMocks(() =>
        tailnetProgram({}, () => {
          new Connector('home-ops', { subnetRouter: { advertiseRoutes: ['::/0'] } });
        }),
      ),
    );
    expect(fields(error)).toStrictEqual({
      path: "Connector 'home-ops'",
      field: 'subnetRouter.advertiseRoutes[0]',
      value: '::/0',
      allowed: 'a subnet route, not a default route',
    });
  });

  test('fails when two Connectors advertise the same route without HA', async () => {
    const error = await rejection(
      runWithMocks(() =>
        tailnetProgram({}, () => {
          new TailscaleOperator('operator');
          new Connector('a', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } });
          new Connector('b', { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] }, highAvailability: true });
        }),
      ),
    );
    expect(fields(error)).toStrictEqual({
      path: "Connector 'b'",
      field: 'subnetRouter.advertiseRoutes',
      value: '10.0.0.0/8',
      allowed:
        'a route no other construct in the program advertises, unless both are meant as a high-availability pair',
    });
  });

  test('fails when allow() is called after the tailnet is sealed', async () => {
    let connector: Connector | undefined;
    await run(() => {
      new TailscaleOperator('operator');
      connector = new Connector('home-ops', HOME_OPS);
    });
    const error = await rejection(Promise.resolve().then(() => connector!.allow(['group:family'])));
    expect(fields(error)).toStrictEqual({
      path: "Connector 'home-ops'",
      field: 'tailnet',
      value: 'created after the tailnet policy was rendered',
      allowed: "created before Tailnet 'tailnet' renders its policy",
    });
  });
});
