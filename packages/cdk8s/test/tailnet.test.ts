import * as fs from 'node:fs';
import * as path from 'node:path';
import { type App, Chart, Testing } from 'cdk8s';
import {
  Connector,
  OperatorCredentials,
  POLICY_FILE,
  REQUIREMENTS_FILE,
  TailscaleOperator,
  Tailnet,
  type ValidationError,
  isValidationError,
} from '@tailkube/cdk8s';

/** The policy a program with one default operator in chart `ops` gets. */
const DEFAULT_POLICY = `// Tailnet policy written by tailkube. Entries below a "// tailkube:" comment are derived
// from the program that declares the cluster: change the program, not the entries.
{
\t"tagOwners": {
\t\t// tailkube: TailscaleOperator 'ops/operator'
\t\t"tag:k8s": ["tag:k8s-operator"],
\t\t// tailkube: TailscaleOperator 'ops/operator'
\t\t"tag:k8s-operator": [],
\t},
\t// Deny by default: without "acls" or "grants" the control plane would allow all traffic.
\t"grants": [],
}
`;

/** Runs `fn`, which must throw a ValidationError, and returns it. */
function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isValidationError(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

function read(app: App, file: string): string {
  return fs.readFileSync(path.join(app.outdir, file), 'utf8');
}

/** Every file `app.synth()` wrote, by name. */
function written(app: App): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(app.outdir).map((file) => [file, read(app, file)]));
}

describe('Tailnet (cdk8s)', () => {
  test('app.synth() writes the policy and requirements beside the charts', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'ops');
    new TailscaleOperator(chart, 'operator');

    // WHEN
    app.synth();

    // THEN
    expect(fs.readdirSync(app.outdir).sort()).toStrictEqual(['ops.k8s.yaml', POLICY_FILE, REQUIREMENTS_FILE]);
    expect(POLICY_FILE).toBe('tailnet-policy.hujson');
    expect(REQUIREMENTS_FILE).toBe('tailnet-requirements.json');
    expect(read(app, POLICY_FILE)).toBe(DEFAULT_POLICY);
    expect(read(app, REQUIREMENTS_FILE)).toBe(
      `${JSON.stringify(
        {
          operator: {
            scopes: ['auth_keys', 'devices:core'],
            tags: ['tag:k8s-operator'],
            credentials: { kind: 'existing-secret', secretName: 'operator-oauth' },
            namespace: 'tailscale',
          },
          tagOwners: { 'tag:k8s': ['tag:k8s-operator'], 'tag:k8s-operator': [] },
          hostnames: ['tailscale-operator'],
          intendedAccess: [],
          policyEntriesAdded: { tagOwners: 2 },
        },
        null,
        2,
      )}\n`,
    );
  });

  test('the requirements state what a federated identity needs', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'ops');
    new TailscaleOperator(chart, 'operator', {
      namespace: 'ts',
      tags: ['tag:ops'],
      defaultProxyTags: ['tag:proxy'],
      credentials: OperatorCredentials.workloadIdentity({
        issuer: 'https://oidc.example.com',
        clientId: 'client',
        audience: 'aud',
      }),
    });

    // WHEN
    app.synth();

    // THEN
    expect(JSON.parse(read(app, REQUIREMENTS_FILE))).toStrictEqual({
      operator: {
        scopes: ['auth_keys', 'devices:core'],
        tags: ['tag:ops'],
        credentials: {
          kind: 'workload-identity',
          issuer: 'https://oidc.example.com',
          subject: 'system:serviceaccount:ts:operator',
          clientId: 'client',
          audience: 'aud',
        },
        namespace: 'ts',
      },
      tagOwners: { 'tag:ops': [], 'tag:proxy': ['tag:ops'] },
      hostnames: ['tailscale-operator'],
      intendedAccess: [],
      policyEntriesAdded: { tagOwners: 2 },
    });
  });

  test('a Tailnet declared on the app takes its props, and constructs find it', () => {
    // GIVEN
    const app = Testing.app();
    const tailnet = new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: '{}' });
    const chart = new Chart(app, 'ops');

    // WHEN
    new TailscaleOperator(chart, 'operator');

    // THEN
    expect(Tailnet.of(chart)).toBe(tailnet);
    expect(Tailnet.isTailnet(tailnet)).toBe(true);
    expect(Tailnet.isTailnet(chart)).toBe(false);
    expect(tailnet.synth().text).toBe(`{
\t"tagOwners": {
\t\t// tailkube: TailscaleOperator 'ops/operator'
\t\t"tag:k8s": ["tag:k8s-operator"],
\t\t// tailkube: TailscaleOperator 'ops/operator'
\t\t"tag:k8s-operator": [],
\t},
}`);
  });

  test('a base policy is kept, with its comments, and generated entries are added', () => {
    // GIVEN
    const basePolicy = `// Our tailnet.
{
  // Admins own the servers.
  "groups": {
    "group:admins": ["alice@example.com"], // Alice only, for now
  },
  "tagOwners": {
    "tag:server": ["group:admins"],
  },
}
`;
    const app = Testing.app();
    new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy });
    new TailscaleOperator(new Chart(app, 'ops'), 'operator');

    // WHEN
    app.synth();

    // THEN
    expect(read(app, POLICY_FILE)).toBe(`// Our tailnet.
{
  // Admins own the servers.
  "groups": {
    "group:admins": ["alice@example.com"], // Alice only, for now
  },
  "tagOwners": {
    "tag:server": ["group:admins"],
    // tailkube: TailscaleOperator 'ops/operator'
    "tag:k8s": ["tag:k8s-operator"],
    // tailkube: TailscaleOperator 'ops/operator'
    "tag:k8s-operator": [],
  },
}
`);
  });

  test('a base policy that already holds the entries is left as written', () => {
    // GIVEN
    const basePolicy = `{
\t"tagOwners": {
\t\t"tag:k8s-operator": [],
\t\t"tag:k8s": ["tag:k8s-operator"], // kept
\t},
}
`;
    const app = Testing.app();
    new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy });
    new TailscaleOperator(new Chart(app, 'ops'), 'operator');

    // WHEN
    app.synth();

    // THEN
    expect(read(app, POLICY_FILE)).toBe(basePolicy);
    expect(JSON.parse(read(app, REQUIREMENTS_FILE)).policyEntriesAdded).toStrictEqual({});
  });

  test('deterministic: two identical apps write byte-identical files', () => {
    // GIVEN
    const build = (): App => {
      const app = Testing.app();
      new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: '{ "groups": { "group:ops": [] } }\n' });
      new TailscaleOperator(new Chart(app, 'ops'), 'operator', {
        tags: ['tag:b-operator', 'tag:a-operator'],
        defaultProxyTags: ['tag:z', 'tag:m', 'tag:a'],
      });
      return app;
    };
    const first = build();
    const second = build();

    // WHEN
    first.synth();
    second.synth();

    // THEN
    expect(first.outdir).not.toBe(second.outdir);
    expect(written(first)).toStrictEqual(written(second));
    expect(Object.keys(written(first)).sort()).toStrictEqual([
      'ops.k8s.yaml',
      POLICY_FILE,
      REQUIREMENTS_FILE,
    ]);
  });

  test('declaration order does not change the policy', () => {
    // GIVEN: the same two charts, declared in opposite orders, one holding the operator
    const build = (order: readonly string[]): App => {
      const app = Testing.app();
      for (const id of order) {
        const chart = new Chart(app, id);
        if (id === 'ops') {
          new TailscaleOperator(chart, 'operator', { defaultProxyTags: ['tag:web', 'tag:db'] });
        }
      }
      return app;
    };
    const forward = build(['apps', 'ops']);
    const backward = build(['ops', 'apps']);

    // WHEN
    forward.synth();
    backward.synth();

    // THEN
    expect(read(forward, POLICY_FILE)).toBe(read(backward, POLICY_FILE));
    expect(read(forward, REQUIREMENTS_FILE)).toBe(read(backward, REQUIREMENTS_FILE));
    expect(read(forward, POLICY_FILE))
      .toBe(`// Tailnet policy written by tailkube. Entries below a "// tailkube:" comment are derived
// from the program that declares the cluster: change the program, not the entries.
{
\t"tagOwners": {
\t\t// tailkube: TailscaleOperator 'ops/operator'
\t\t"tag:db": ["tag:k8s-operator"],
\t\t// tailkube: TailscaleOperator 'ops/operator'
\t\t"tag:k8s-operator": [],
\t\t// tailkube: TailscaleOperator 'ops/operator'
\t\t"tag:web": ["tag:k8s-operator"],
\t},
\t// Deny by default: without "acls" or "grants" the control plane would allow all traffic.
\t"grants": [],
}
`);
  });

  test('synth() renders once: later calls return the same result', () => {
    // GIVEN
    const app = Testing.app();
    new TailscaleOperator(new Chart(app, 'ops'), 'operator');

    // WHEN
    const first = Tailnet.of(app).synth();

    // THEN
    expect(Tailnet.of(app).synth()).toBe(first);
    expect(first.text).toBe(DEFAULT_POLICY);
  });

  describe('policyTests', () => {
    function homeOps(props: { policyTests?: boolean }): App {
      const app = Testing.app();
      new Tailnet(app, 'Tailnet', {
        allowAll: 'deny',
        basePolicy: '{"groups": {"group:family": ["kid@example.com"]}}',
        ...props,
      });
      new TailscaleOperator(new Chart(app, 'ops'), 'operator');
      new Connector(new Chart(app, 'home'), 'home-ops', {
        subnetRouter: { advertiseRoutes: ['10.0.0.0/24'] },
        exitNode: true,
        tags: ['tag:home-ops'],
      }).allow(['group:family']);
      app.synth();
      return app;
    }

    test('are not written by default', () => {
      expect(read(homeOps({}), POLICY_FILE)).not.toContain('"tests"');
    });

    test('when on, the intended access the control plane can test is written to the policy', () => {
      // WHEN
      const app = homeOps({ policyTests: true });

      // THEN the route's address is tested; autogroups (the internet, every member) are skipped
      expect(read(app, POLICY_FILE)).toContain(`\t"tests": [
\t\t// tailkube: Connector 'home/home-ops'
\t\t{
\t\t\t"src": "group:family",
\t\t\t"accept": ["10.0.0.1:443"],
\t\t},
\t],`);
      const report = JSON.parse(read(app, REQUIREMENTS_FILE)) as {
        policyTests: { written: number; skipped: unknown[] };
      };
      expect(report.policyTests.written).toBe(1);
      expect(report.policyTests.skipped).toHaveLength(3);
    });
  });

  describe('bad input', () => {
    test('fails when a second Tailnet is declared', () => {
      // GIVEN
      const app = Testing.app();
      new Tailnet(app, 'Tailnet');

      // WHEN
      const error = validationError(() => new Tailnet(app, 'Other'));

      // THEN
      expect(error.path).toBe("Tailnet 'Other'");
      expect(error.field).toBe('scope');
      expect(error.value).toBe("a second tailnet beside 'Tailnet'");
      expect(error.allowed).toBe(
        'the app itself, once: `new Tailnet(app, id, props)` before any tailkube construct',
      );
      expect(app.node.children.map((c) => c.node.id)).toStrictEqual(['Tailnet']);
    });

    test('fails when a Tailnet is declared after a construct created the default one', () => {
      // GIVEN
      const app = Testing.app();
      new TailscaleOperator(new Chart(app, 'ops'), 'operator');

      // WHEN
      const error = validationError(() => new Tailnet(app, 'Mine', { allowAll: 'deny', basePolicy: '{}' }));

      // THEN
      expect(error.path).toBe("Tailnet 'Mine'");
      expect(error.field).toBe('scope');
      expect(error.value).toBe("a second tailnet beside 'Tailnet'");
    });

    test('fails when a Tailnet is declared below the app', () => {
      // GIVEN
      const app = Testing.app();
      const chart = new Chart(app, 'ops');

      // WHEN
      const error = validationError(() => new Tailnet(chart, 'Tailnet'));

      // THEN
      expect(error.path).toBe("Tailnet 'ops/Tailnet'");
      expect(error.field).toBe('scope');
      expect(error.value).toBe('ops');
      expect(chart.node.children).toHaveLength(0);
    });

    test('fails when a construct is created after the policy was rendered, naming it', () => {
      // GIVEN
      const app = Testing.app();
      const chart = new Chart(app, 'ops');
      new TailscaleOperator(chart, 'operator');
      const rendered = Tailnet.of(app).synth();

      // WHEN
      const late = new Chart(app, 'late');
      const error = validationError(() => new TailscaleOperator(late, 'operator', { namespace: 'other' }));

      // THEN
      expect(error.path).toBe("TailscaleOperator 'late/operator'");
      expect(error.field).toBe('tailnet');
      expect(error.value).toBe('created after the tailnet policy was rendered');
      expect(error.allowed).toBe("created before Tailnet 'Tailnet' renders its policy");
      // The late construct left nothing behind, and the policy did not change.
      expect(late.node.children).toHaveLength(0);
      expect(Testing.synth(late)).toStrictEqual([]);
      expect(Tailnet.of(app).synth()).toBe(rendered);
    });

    test('fails when the base policy is not HuJSON, before anything is created', () => {
      // GIVEN
      const app = Testing.app();

      // WHEN
      const error = validationError(
        () => new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: '{ "tagOwners": { ' }),
      );

      // THEN
      expect(error.path).toBe("Tailnet 'Tailnet'");
      expect(error.field).toBe('basePolicy');
      expect(error.allowed).toBe('a HuJSON policy document (JSON with comments and trailing commas)');
      expect(app.node.children).toStrictEqual([]);
    });

    test('fails when the base policy defines a generated key differently, and writes nothing', () => {
      // GIVEN
      const app = Testing.app();
      new Tailnet(app, 'Tailnet', {
        allowAll: 'deny',
        basePolicy: '{ "tagOwners": { "tag:k8s": ["group:admins"] } }',
      });
      new TailscaleOperator(new Chart(app, 'ops'), 'operator');

      // WHEN
      const error = validationError(() => app.synth());

      // THEN
      expect(error.path).toBe("TailscaleOperator 'ops/operator'");
      expect(error.field).toBe('tagOwners["tag:k8s"]');
      expect(error.value).toStrictEqual(['group:admins']);
      expect(error.message).toContain('the base policy defines it differently');
      expect(fs.readdirSync(app.outdir)).toStrictEqual([]);
    });

    test('fails when two operators share the app, and writes nothing', () => {
      // GIVEN
      const app = Testing.app();
      new TailscaleOperator(new Chart(app, 'a'), 'operator');
      new TailscaleOperator(new Chart(app, 'b'), 'operator', { namespace: 'other', hostname: 'other' });

      // WHEN
      const error = validationError(() => app.synth());

      // THEN
      expect(error.path).toBe("TailscaleOperator 'b/operator'");
      expect(error.field).toBe('tailnet');
      expect(error.value).toBe("a second operator beside TailscaleOperator 'a/operator'");
      expect(fs.readdirSync(app.outdir)).toStrictEqual([]);
    });
  });
});
