import { ApiObject, type App, Chart, Testing } from 'cdk8s';
import {
  EgressService,
  FunnelIngress,
  TailscaleIngress,
  Tailnet,
  type ValidationError,
  isValidationError,
} from '@tailkube/cdk8s';

const BASE_POLICY = '{"tagOwners": {"tag:db": ["autogroup:admin"], "tag:k8s": ["autogroup:admin"]}}';

function synthFailure(app: App): ValidationError {
  try {
    app.synth();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

function appWithTailnet(): App {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', { basePolicy: BASE_POLICY, allowAll: 'deny' });
  return app;
}

describe('object identity across the app', () => {
  test('fails when two EgressServices in two charts are both `db` in one namespace', () => {
    const app = appWithTailnet();
    const ports = [{ port: 5432, name: 'postgres' }];
    new EgressService(new Chart(app, 'prod'), 'db', {
      name: 'db',
      tailnetFqdn: 'db.example.ts.net',
      policyTarget: 'tag:db',
      ports,
    });
    new EgressService(new Chart(app, 'staging'), 'db', {
      name: 'db',
      tailnetFqdn: 'db-staging.example.ts.net',
      policyTarget: 'tag:db',
      ports,
    });
    const error = synthFailure(app);
    expect({
      path: error.path,
      field: error.field,
      value: error.value,
      allowed: error.allowed,
    }).toStrictEqual({
      path: "EgressService 'staging/db'",
      field: 'metadata.name',
      value: 'db',
      allowed: 'a name no other Service (v1) of the program has in namespace "default"',
    });
    expect(error.message).toContain("EgressService 'prod/db' already declares it");
  });

  test('fails when a TailscaleIngress and a FunnelIngress are both `web`', () => {
    const app = appWithTailnet();
    const chart = new Chart(app, 'apps');
    const backend = { serviceName: 'web', port: 80 };
    new TailscaleIngress(chart, 'internal', {
      name: 'web',
      hostname: 'web-internal',
      defaultBackend: backend,
    });
    new FunnelIngress(chart, 'public', {
      name: 'web',
      hostname: 'web-public',
      public: true,
      defaultBackend: backend,
    });
    const error = synthFailure(app);
    expect(error.path).toBe("FunnelIngress 'apps/public'");
    expect(error.field).toBe('metadata.name');
    expect(error.message).toContain("TailscaleIngress 'apps/internal' already declares it");
  });

  test('fails when the program declares an object of its own with a tailkube object identity', () => {
    const app = appWithTailnet();
    const chart = new Chart(app, 'apps');
    new EgressService(chart, 'db', {
      tailnetFqdn: 'db.example.ts.net',
      policyTarget: 'tag:db',
      ports: [{ port: 5432 }],
    });
    new ApiObject(chart, 'mine', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db', namespace: 'default' },
    });
    const error = synthFailure(app);
    // Either one is named as the error's path, the other in its message.
    expect(`${error.path} ${error.message}`).toContain("Service 'apps/mine'");
    expect(`${error.path} ${error.message}`).toContain("EgressService 'apps/db'");
  });

  test('a chart rendered alone checks the whole app, also after an app synth failed', () => {
    const app = appWithTailnet();
    const prod = new Chart(app, 'prod');
    let ready = false;
    prod.node.addValidation({ validate: () => (ready ? [] : ['not ready']) });
    const settings = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } };
    new ApiObject(prod, 'settings', settings);
    // The app synth fails inside cdk8s's own validation, after tailkube checked the objects.
    expect(() => app.synth()).toThrow(/not ready/);
    ready = true;
    new ApiObject(new Chart(app, 'staging'), 'settings', settings);
    let error: unknown;
    try {
      prod.toJson();
    } catch (thrown) {
      error = thrown;
    }
    expect(isValidationError(error)).toBe(true);
    expect((error as ValidationError).path).toBe("ConfigMap 'staging/settings'");
    expect((error as ValidationError).field).toBe('metadata.name');
  });

  test('the same name in two namespaces passes (the control)', () => {
    const app = appWithTailnet();
    const ports = [{ port: 5432 }];
    new EgressService(new Chart(app, 'prod', { namespace: 'prod' }), 'db', {
      name: 'db',
      tailnetFqdn: 'db.example.ts.net',
      policyTarget: 'tag:db',
      ports,
    });
    new EgressService(new Chart(app, 'staging', { namespace: 'staging' }), 'db', {
      name: 'db',
      tailnetFqdn: 'db-staging.example.ts.net',
      policyTarget: 'tag:db',
      ports,
    });
    expect(() => app.synth()).not.toThrow();
  });
});
