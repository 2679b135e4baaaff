import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Connector,
  TailscaleOperator,
  Tailnet,
  type MockRun,
  type ValidationError,
  isValidationError,
  runWithMocks,
  tailnetProgram,
} from '@tailkube/pulumi';
import { runPulumiChild } from './helpers/child-process';
import { indexOf, only, promisify } from './helpers/pulumi';

const ACL = 'tailscale:index/acl:Acl';
const OAUTH_CLIENT = 'tailscale:index/oauthClient:OauthClient';

/** The policy of a program with one default operator named `operator`. */
const DEFAULT_POLICY = `// Tailnet policy written by tailkube. Entries below a "// tailkube:" comment are derived
// from the program that declares the cluster: change the program, not the entries.
{
\t"tagOwners": {
\t\t// tailkube: TailscaleOperator 'operator'
\t\t"tag:k8s": ["tag:k8s-operator"],
\t\t// tailkube: TailscaleOperator 'operator'
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

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
/** The names of the policies a run created, sorted. */
const policyNames = (run: MockRun<unknown>): string[] =>
  run.resources
    .filter((r) => r.type === ACL)
    .map((r) => r.name)
    .sort();

describe('Tailnet (Pulumi)', () => {
  test('creates the policy as a tailscale.Acl that does not overwrite an edited policy', async () => {
    // WHEN
    const run = await runWithMocks(() =>
      tailnetProgram({}, () => {
        new TailscaleOperator('operator');
      }),
    );

    // THEN
    expect(only(run, 'tailkube:index:Tailnet').name).toBe('tailnet');
    expect(only(run, ACL)).toStrictEqual({
      type: ACL,
      name: 'tailnet-policy',
      inputs: { acl: DEFAULT_POLICY, overwriteExistingContent: false },
    });
  });

  test('overwriteExistingPolicy opts in to replacing an edited policy', async () => {
    // WHEN
    const run = await runWithMocks(() =>
      tailnetProgram({ name: 'home', overwriteExistingPolicy: true }, () => {
        new TailscaleOperator('operator');
      }),
    );

    // THEN
    expect(only(run, ACL)).toStrictEqual({
      type: ACL,
      name: 'home-policy',
      inputs: { acl: DEFAULT_POLICY, overwriteExistingContent: true },
    });
    expect(only(run, OAUTH_CLIENT).name).toBe('home-operator-oauth');
  });

  test('a base policy is kept, with its comments', async () => {
    // GIVEN
    const basePolicy = `{
\t// Admins.
\t"groups": {"group:admins": ["alice@example.com"]},
}
`;

    // WHEN
    const run = await runWithMocks(() =>
      tailnetProgram({ basePolicy }, () => {
        new TailscaleOperator('operator', { tags: ['tag:ops'], defaultProxyTags: ['tag:web'] });
      }),
    );

    // THEN
    expect(only(run, ACL).inputs['acl']).toBe(`{
\t// Admins.
\t"groups": {"group:admins": ["alice@example.com"]},
\t"tagOwners": {
\t\t// tailkube: TailscaleOperator 'operator'
\t\t"tag:ops": [],
\t\t// tailkube: TailscaleOperator 'operator'
\t\t"tag:web": ["tag:ops"],
\t},
}
`);
  });

  test('the policy and requirements outputs resolve once sealed', async () => {
    // WHEN
    const run = await runWithMocks(async () => {
      const tailnet = await tailnetProgram({}, (t) => {
        new TailscaleOperator('operator');
        return t;
      });
      return { policy: await promisify(tailnet.policy), requirements: await promisify(tailnet.requirements) };
    });

    // THEN
    expect(run.result.policy).toBe(DEFAULT_POLICY);
    expect(run.result.requirements).toStrictEqual({
      operator: {
        scopes: ['auth_keys', 'devices:core'],
        tags: ['tag:k8s-operator'],
        credentials: { kind: 'oauth-client' },
        namespace: 'tailscale',
      },
      tagOwners: { 'tag:k8s': ['tag:k8s-operator'], 'tag:k8s-operator': [] },
      hostnames: ['tailscale-operator'],
      intendedAccess: [],
      policyEntriesAdded: { tagOwners: 2 },
    });
  });

  test('deterministic: declaration order does not change the policy', async () => {
    // GIVEN
    const policyOf = async (tags: readonly string[]): Promise<unknown> => {
      const run = await runWithMocks(() =>
        tailnetProgram({}, () => {
          new TailscaleOperator('operator', { defaultProxyTags: tags });
        }),
      );
      return only(run, ACL).inputs['acl'];
    };

    // WHEN
    const forward = await policyOf(['tag:a', 'tag:b', 'tag:c']);
    const backward = await policyOf(['tag:c', 'tag:b', 'tag:a']);

    // THEN
    expect(forward).toBe(backward);
  });

  test('policyTests writes the testable intended access into the tailscale.Acl', async () => {
    // WHEN
    const run = await runWithMocks(() =>
      tailnetProgram(
        {
          basePolicy: '{"groups": {"group:family": ["kid@example.com"]}}',
          allowAll: 'deny',
          policyTests: true,
        },
        () => {
          new TailscaleOperator('operator');
          new Connector('home-ops', { subnetRouter: { advertiseRoutes: ['10.0.0.0/24'] } }).allow([
            'group:family',
          ]);
        },
      ),
    );

    // THEN
    const acl = only(run, ACL).inputs['acl'] as string;
    expect(acl).toContain(`\t"tests": [
\t\t// tailkube: Connector 'home-ops'
\t\t{
\t\t\t"src": "group:family",
\t\t\t"accept": ["10.0.0.1:443"],
\t\t},
\t],`);
  });

  describe('property 1: a program cannot forget the policy', () => {
    test('tailnetProgram seals the tailnet when the program returns', async () => {
      // WHEN
      const run = await runWithMocks(() =>
        tailnetProgram({}, () => {
          new TailscaleOperator('operator');
          return 'done';
        }),
      );

      // THEN
      expect(run.result).toBe('done');
      expect(only(run, ACL).inputs['acl']).toBe(DEFAULT_POLICY);
    });

    test('tailnetProgram without seal() in the program still creates exactly one policy', async () => {
      // WHEN
      const run = await runWithMocks(() =>
        tailnetProgram({}, () => {
          new TailscaleOperator('operator');
        }),
      );

      // THEN
      expect(run.resources.filter((r) => r.type === ACL)).toHaveLength(1);
      expect(indexOf(run, ACL)).toBeLessThan(indexOf(run, OAUTH_CLIENT));
    });

    test('an explicit seal() renders once; later calls return the same synthesis', async () => {
      // WHEN
      const run = await runWithMocks(() => {
        const tailnet = new Tailnet('tailnet');
        new TailscaleOperator('operator', { tailnet });
        const first = tailnet.seal();
        return { first, second: tailnet.seal() };
      });

      // THEN
      expect(run.result.second).toBe(run.result.first);
      expect(run.result.first.text).toBe(DEFAULT_POLICY);
      expect(run.resources.filter((r) => r.type === ACL)).toHaveLength(1);
    });

    test('the exit check is installed once, however many programs a process runs', async () => {
      // GIVEN
      const program = (): Promise<unknown> =>
        runWithMocks(() =>
          tailnetProgram({}, () => {
            new TailscaleOperator('operator');
          }),
        );
      await program();
      const listeners = process.listenerCount('beforeExit');

      // WHEN
      for (let i = 0; i < 12; i++) await program();

      // THEN
      expect(process.listenerCount('beforeExit')).toBe(listeners);
    });

    describe('a process that never seals its tailnet', () => {
      let dir: string;
      beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-unsealed-'));
      });
      afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

      const runChild = (name: string, body: string) => runPulumiChild(dir, name, body);

      test('fails when a Tailnet is never sealed: exit code 1 and a message at exit', () => {
        // WHEN
        const child = runChild(
          'unsealed',
          `runWithMocks(() => {
  const tailnet = new Tailnet('forgotten');
  new TailscaleOperator('operator', { tailnet });
}).then((run) => console.log('registered ' + run.resources.map((r) => r.type).join(',')));`,
        );

        // THEN
        expect(child.stdout).toBe(
          'registered tailkube:index:Tailnet,tailkube:index:TailscaleOperator,kubernetes:core/v1:Namespace\n',
        );
        expect(child.stderr).toBe(
          "tailkube: Tailnet 'forgotten' was never sealed, so its policy and credentials were not created. " +
            'Wrap the program in tailnetProgram(...) or call tailnet.seal() after the last component.\n',
        );
        expect(child.status).toBe(1);
      });

      test('a sealed Tailnet exits cleanly (the control for the test above)', () => {
        // WHEN
        const child = runChild(
          'sealed',
          `runWithMocks(() => {
  const tailnet = new Tailnet('remembered');
  new TailscaleOperator('operator', { tailnet });
  tailnet.seal();
}).then((run) => console.log('registered ' + run.resources.length));`,
        );

        // THEN
        expect(child.stderr).toBe('');
        expect(child.stdout).toBe('registered 7\n');
        expect(child.status).toBe(0);
      });

      test('a tailnet program exits cleanly', () => {
        // WHEN
        const child = runChild(
          'program',
          `runWithMocks(() => tailnetProgram({}, async () => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  new TailscaleOperator('operator');
})).then((run) => console.log(run.resources.some((r) => r.type === '${ACL}') ? 'policy' : 'no policy'));`,
        );

        // THEN
        expect(child.stderr).toBe('');
        expect(child.stdout).toBe('policy\n');
        expect(child.status).toBe(0);
      });
    });
  });

  describe('property 2: a component created after sealing throws, naming it', () => {
    test('fails when a component is created after its tailnetProgram returned', async () => {
      // WHEN
      const run = await runWithMocks(async () => {
        const tailnet = await tailnetProgram({}, (t) => {
          new TailscaleOperator('operator');
          return t;
        });
        return validationError(() => new TailscaleOperator('late', { tailnet, namespace: 'late' }));
      });

      // THEN
      const error = run.result;
      expect(error.path).toBe("TailscaleOperator 'late'");
      expect(error.field).toBe('tailnet');
      expect(error.value).toBe('created after the tailnet policy was rendered');
      expect(error.allowed).toBe("created before Tailnet 'tailnet' renders its policy");
      // Nothing of the late component was registered, and the policy does not name it.
      expect(run.resources.filter((r) => r.name.startsWith('late'))).toStrictEqual([]);
      expect(only(run, ACL).inputs['acl']).toBe(DEFAULT_POLICY);
    });

    test('fails when a component is created after an explicit seal()', async () => {
      // WHEN
      const run = await runWithMocks(() => {
        const tailnet = new Tailnet('main');
        tailnet.seal();
        return validationError(() => new TailscaleOperator('operator', { tailnet }));
      });

      // THEN
      expect(run.result.path).toBe("TailscaleOperator 'operator'");
      expect(run.result.field).toBe('tailnet');
      expect(run.result.allowed).toBe("created before Tailnet 'main' renders its policy");
      expect(run.resources.map((r) => r.type)).toStrictEqual(['tailkube:index:Tailnet', ACL]);
    });
  });

  describe('property 3: async programs work', () => {
    test('components created after awaits are in the policy and get credentials', async () => {
      // WHEN
      const run = await runWithMocks(() =>
        tailnetProgram({}, async (tailnet) => {
          await tick();
          const inner = async (): Promise<void> => {
            await tick();
            expect(Tailnet.current()).toBe(tailnet);
            new TailscaleOperator('operator', { defaultProxyTags: ['tag:late'] });
          };
          await inner();
          await tick();
        }),
      );

      // THEN
      expect(only(run, ACL).inputs['acl'])
        .toBe(`// Tailnet policy written by tailkube. Entries below a "// tailkube:" comment are derived
// from the program that declares the cluster: change the program, not the entries.
{
\t"tagOwners": {
\t\t// tailkube: TailscaleOperator 'operator'
\t\t"tag:k8s-operator": [],
\t\t// tailkube: TailscaleOperator 'operator'
\t\t"tag:late": ["tag:k8s-operator"],
\t},
\t// Deny by default: without "acls" or "grants" the control plane would allow all traffic.
\t"grants": [],
}
`);
      expect(only(run, OAUTH_CLIENT).inputs['scopes']).toStrictEqual(['auth_keys', 'devices:core']);
      expect(only(run, 'kubernetes:helm.sh/v4:Chart').name).toBe('operator');
    });

    test('concurrent programs each see their own tailnet', async () => {
      // WHEN
      const run = await runWithMocks(() =>
        Promise.all([
          tailnetProgram({ name: 'a' }, async (tailnet) => {
            await tick();
            return Tailnet.current() === tailnet;
          }),
          tailnetProgram({ name: 'b' }, async (tailnet) => {
            await tick();
            return Tailnet.current() === tailnet;
          }),
        ]),
      );

      // THEN
      expect(run.result).toStrictEqual([true, true]);
      expect(policyNames(run)).toStrictEqual(['a-policy', 'b-policy']);
      expect(Tailnet.current()).toBeUndefined();
    });

    test('a nested program sees its own tailnet, and the outer one its own again after it', async () => {
      // WHEN
      const run = await runWithMocks(() =>
        tailnetProgram({ name: 'outer' }, async (outer) => {
          const inner = await tailnetProgram({ name: 'inner' }, async (tailnet) => {
            await tick();
            return Tailnet.current() === tailnet;
          });
          await tick();
          return { inner, outer: Tailnet.current() === outer };
        }),
      );

      // THEN
      expect(run.result).toStrictEqual({ inner: true, outer: true });
      expect(policyNames(run)).toStrictEqual(['inner-policy', 'outer-policy']);
      expect(Tailnet.current()).toBeUndefined();
    });

    test('a program nested in a concurrent one sees its own tailnet after the first program ended', async () => {
      // WHEN: 'a' runs untracked and ends first; 'b', tracked, then runs 'c' inside it
      const run = await runWithMocks(() =>
        Promise.all([
          tailnetProgram({ name: 'a' }, (tailnet) => Tailnet.current() === tailnet),
          tailnetProgram({ name: 'b' }, async (outer) => {
            await tick();
            const inner = await tailnetProgram({ name: 'c' }, async (tailnet) => {
              await tick();
              return Tailnet.current() === tailnet;
            });
            return { inner, outer: Tailnet.current() === outer };
          }),
        ]),
      );

      // THEN
      expect(run.result).toStrictEqual([true, { inner: true, outer: true }]);
      expect(policyNames(run)).toStrictEqual(['a-policy', 'b-policy', 'c-policy']);
      expect(Tailnet.current()).toBeUndefined();
    });
  });

  describe('bad input', () => {
    test('fails when the base policy is not HuJSON, and creates no policy', async () => {
      // WHEN
      let error: unknown;
      const run = await runWithMocks(async () => {
        try {
          await tailnetProgram({ basePolicy: '{ "groups": ' }, () => {
            new TailscaleOperator('operator');
          });
        } catch (e) {
          error = e;
        }
      });

      // THEN
      expect(isValidationError(error)).toBe(true);
      expect((error as ValidationError).path).toBe("Tailnet 'tailnet'");
      expect((error as ValidationError).field).toBe('basePolicy');
      expect(run.resources.filter((r) => r.type.startsWith('tailscale:'))).toStrictEqual([]);
    });

    test('fails when the program throws: the error propagates and no policy is created', async () => {
      // WHEN
      const outcome = await runWithMocks(() =>
        tailnetProgram({}, async () => {
          new TailscaleOperator('operator');
          await tick();
          throw new Error('boom');
        }).catch((e: unknown) => (e as Error).message),
      );

      // THEN
      expect(outcome.result).toBe('boom');
      expect(outcome.resources.filter((r) => r.type.startsWith('tailscale:'))).toStrictEqual([]);
    });
  });
});
