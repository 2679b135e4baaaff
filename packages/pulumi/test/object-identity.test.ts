import {
  EgressService,
  FunnelIngress,
  TailscaleIngress,
  TailscaleOperator,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
} from '@tailkube/pulumi';

const BASE_POLICY = '{"tagOwners": {"tag:db": ["autogroup:admin"]}}';

/** Runs `program` in a tailnet program with an operator under mocks and returns how it failed. */
async function failure(program: () => void): Promise<ValidationError> {
  const error: unknown = await runWithMocks(() =>
    tailnetProgram({ allowAll: 'deny', basePolicy: BASE_POLICY }, () => {
      new TailscaleOperator('operator');
      program();
    }),
  ).then(
    () => new Error('expected a ValidationError, but nothing was thrown'),
    (e: unknown) => e,
  );
  expect(isValidationError(error)).toBe(true);
  return error as ValidationError;
}

describe('object identity across the program (Pulumi)', () => {
  test('fails when two EgressServices are both `db` in one namespace', async () => {
    const ports = [{ port: 5432, name: 'postgres' }];
    const error = await failure(() => {
      new EgressService('db-prod', {
        name: 'db',
        tailnetFqdn: 'db.example.ts.net',
        policyTarget: 'tag:db',
        ports,
      });
      new EgressService('db-staging', {
        name: 'db',
        tailnetFqdn: 'db-staging.example.ts.net',
        policyTarget: 'tag:db',
        ports,
      });
    });
    expect({
      path: error.path,
      field: error.field,
      value: error.value,
      allowed: error.allowed,
    }).toStrictEqual({
      path: "EgressService 'db-staging'",
      field: 'metadata.name',
      value: 'db',
      allowed: 'a name no other Service (v1) of the program has in namespace "default"',
    });
    expect(error.message).toContain("EgressService 'db-prod' already declares it");
  });

  test('fails when a TailscaleIngress and a FunnelIngress are both `web`', async () => {
    const backend = { serviceName: 'web', port: 80 };
    const error = await failure(() => {
      new TailscaleIngress('internal', { name: 'web', hostname: 'web-internal', defaultBackend: backend });
      new FunnelIngress('public', {
        name: 'web',
        hostname: 'web-public',
        public: true,
        defaultBackend: backend,
      });
    });
    expect(error.path).toBe("FunnelIngress 'public'");
    expect(error.message).toContain("TailscaleIngress 'internal' already declares it");
  });

  test('the same name in two namespaces passes (the control)', async () => {
    const ports = [{ port: 5432 }];
    const run = await runWithMocks(() =>
      tailnetProgram({ allowAll: 'deny', basePolicy: BASE_POLICY }, () => {
        new TailscaleOperator('operator');
        new EgressService('db-prod', {
          name: 'db',
          namespace: 'prod',
          tailnetFqdn: 'db.example.ts.net',
          policyTarget: 'tag:db',
          ports,
        });
        new EgressService('db-staging', {
          name: 'db',
          namespace: 'staging',
          tailnetFqdn: 'db-staging.example.ts.net',
          policyTarget: 'tag:db',
          ports,
        });
      }),
    );
    expect(run.resources.filter((r) => r.type === 'kubernetes:core/v1:Service')).toHaveLength(2);
  });
});
