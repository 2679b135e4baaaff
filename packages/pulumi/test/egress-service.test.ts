import {
  EgressService,
  ProxyGroup,
  TailscaleOperator,
  type Tailnet,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
  type EgressServiceArgs,
  type TailnetSynthesis,
} from '@tailkube/pulumi';
import { canConnect } from '@tailkube/core/internal';
import { captureOptions, capturedOf, only } from './helpers/pulumi';

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const SERVICE = 'kubernetes:core/v1:Service';
const FQDN = 'db.example-tailnet.ts.net';
const POSTGRES: EgressServiceArgs = {
  tailnetFqdn: FQDN,
  policyTarget: 'tag:db',
  ports: [{ port: 5432, name: 'postgres' }],
};
/** The admins own the database's tag; the operator owns the proxies'. */
const BASE_POLICY =
  '{"groups": {"group:admins": ["alice@example.com"]}, "tagOwners": {"tag:db": ["group:admins"]}}';

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

describe('EgressService (Pulumi)', () => {
  test('a component with the ExternalName Service in the default namespace', async () => {
    // WHEN
    let egress: EgressService | undefined;
    const mocked = await run(() => {
      new TailscaleOperator('operator');
      egress = new EgressService('postgres', POSTGRES);
    });

    // THEN
    expect(only(mocked, 'tailkube:index:EgressService').name).toBe('postgres');
    expect(only(mocked, SERVICE)).toStrictEqual({
      type: SERVICE,
      name: 'postgres',
      inputs: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'postgres',
          namespace: 'default',
          labels: MANAGED,
          annotations: { 'tailscale.com/tailnet-fqdn': FQDN, 'tailscale.com/tags': 'tag:k8s' },
        },
        spec: {
          type: 'ExternalName',
          externalName: 'placeholder',
          ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
        },
      },
    });
    expect(egress!.dnsName).toBe('postgres.default.svc.cluster.local');
    expect(egress!.hostnames).toStrictEqual(['default-postgres']);
  });

  test('leaves spec.externalName to the operator, and replaces the Service when its tags change', async () => {
    const capture = captureOptions();
    await runWithMocks(() =>
      tailnetProgram({ allowAll: 'deny', basePolicy: BASE_POLICY }, () => {
        new TailscaleOperator('operator');
        new EgressService('postgres', POSTGRES, { transformations: [capture.transformation] });
      }),
    );
    const { opts } = capturedOf(capture.captured, SERVICE);
    expect(opts.ignoreChanges).toStrictEqual(['spec.externalName']);
    expect(opts.replaceOnChanges).toStrictEqual(['metadata.annotations["tailscale.com/tags"]']);
  });

  test('the same policy as cdk8s: the proxy tags reach exactly port 5432 on the database tag', async () => {
    // WHEN
    const { synthesis } = await run(() => {
      new TailscaleOperator('operator');
      const group = new ProxyGroup('egress', { type: 'egress', tags: ['tag:k8s-egress'] });
      new EgressService('postgres', POSTGRES);
      new EgressService('postgres-ha', { ...POSTGRES, namespace: 'apps', proxyGroup: group });
    });

    // THEN
    const { document } = synthesis;
    expect(document.grants).toStrictEqual([
      { src: ['tag:k8s'], dst: ['tag:db'], ip: ['tcp:5432'] },
      { src: ['tag:k8s-egress'], dst: ['tag:db'], ip: ['tcp:5432'] },
    ]);
    for (const from of ['tag:k8s', 'tag:k8s-egress']) {
      expect(canConnect(document, undefined, { from, to: 'tag:db', port: 5432 }).allowed).toBe(true);
      expect(canConnect(document, undefined, { from, to: 'tag:db', port: 5433 }).allowed).toBe(false);
    }
  });

  test('fails when neither target is set, before the component exists', async () => {
    const error = await rejection(
      runWithMocks(() =>
        tailnetProgram({}, () => {
          new EgressService('postgres', { ports: [{ port: 5432 }] });
        }),
      ),
    );
    expect([error.path, error.field, error.allowed]).toStrictEqual([
      "EgressService 'postgres'",
      'tailnetFqdn',
      'set, or `tailnetIp` set: the Service needs a tailnet target',
    ]);
  });
});
