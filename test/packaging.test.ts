import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './helpers/synth';

const ROOT = path.resolve(__dirname, '..');
const PACKAGES = ['policy', 'core', 'cdk8s', 'pulumi', 'testing', 'cli'] as const;
type Pkg = (typeof PACKAGES)[number];

/** Runs a command; on failure, throws with everything it printed. */
function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: 'pipe',
      env: { ...process.env, NO_COLOR: '1' },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}\n${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`,
    );
  }
}

interface PackedManifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

interface Packed {
  readonly tarball: string;
  readonly files: readonly string[];
  readonly manifest: PackedManifest;
}

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    esModuleInterop: true,
    types: ['node'],
    outDir: 'out',
    rootDir: '.',
    skipLibCheck: false,
  },
  include: ['*.ts'],
};

const CDK8S_PROGRAM = `import { App, Chart } from 'cdk8s';
import {
  OperatorCredentials,
  POLICY_FILE,
  Tailnet,
  TailscaleOperator,
  isValidationError,
  type TailscaleOperatorProps,
} from '@tailkube/cdk8s';

const app = new App({ outdir: process.argv[2] ?? 'dist' });
new Tailnet(app, 'Tailnet');
const props: TailscaleOperatorProps = {
  hostname: 'k8s-operator',
  defaultProxyTags: ['tag:k8s'],
  credentials: OperatorCredentials.fromSecret('operator-oauth'),
};
const operator = new TailscaleOperator(new Chart(app, 'operator'), 'Operator', props);
const tags: readonly string[] = operator.tags;

export function typeErrors(): void {
  // @ts-expect-error: not a firewall mode
  new TailscaleOperator(new Chart(app, 'bad'), 'Operator', { firewallMode: 'ipchains' });
  // @ts-expect-error: tags are a list
  new TailscaleOperator(new Chart(app, 'bad2'), 'Operator', { tags: 'tag:k8s' });
}

try {
  new TailscaleOperator(new Chart(app, 'invalid'), 'Operator', { hostname: 'Not A Hostname' });
} catch (error) {
  if (!isValidationError(error)) throw error;
  console.error(error.field);
}
app.synth();
console.log(JSON.stringify({ tags, policyFile: POLICY_FILE }));
`;

const PULUMI_PROGRAM = `import { TailscaleOperator, runWithMocks, tailnetProgram, type TailscaleOperatorArgs } from '@tailkube/pulumi';

export function typeErrors(): void {
  // @ts-expect-error: not a log level
  const args: TailscaleOperatorArgs = { logging: 'verbose' };
  void args;
}

async function main(): Promise<void> {
  const { resources } = await runWithMocks(() =>
    tailnetProgram({}, () => {
      new TailscaleOperator('operator', { hostname: 'k8s-operator' });
    }),
  );
  console.log(JSON.stringify(resources.map((r) => r.type)));
}

void main();
`;

const TESTING_PROGRAM = `import * as testing from '@tailkube/testing';

export const exported: readonly string[] = Object.keys(testing);
`;

describe('packaging', () => {
  const packs = tempDir('packs');
  const packed = {} as Record<Pkg, Packed>;

  beforeAll(() => {
    run(path.join(ROOT, 'node_modules/.bin/tsc'), ['-b', ...PACKAGES.map((p) => `packages/${p}`)], ROOT);
    for (const pkg of PACKAGES) {
      const before = new Set(fs.readdirSync(packs));
      run('pnpm', ['pack', '--pack-destination', packs], path.join(ROOT, 'packages', pkg));
      const tarball = fs.readdirSync(packs).find((f) => !before.has(f) && f.endsWith('.tgz'));
      if (!tarball) throw new Error(`pnpm pack wrote no tarball for ${pkg}`);
      const full = path.join(packs, tarball);
      packed[pkg] = {
        tarball: full,
        files: run('tar', ['-tzf', full], packs)
          .split('\n')
          .filter(Boolean)
          .map((f) => f.replace(/^package\//, '')),
        manifest: JSON.parse(run('tar', ['-xzOf', full, 'package/package.json'], packs)) as PackedManifest,
      };
    }
  }, 180_000);

  test.each(PACKAGES)('the %s tarball holds the manifest, README, LICENSE and built entry point', (pkg) => {
    const { files, manifest } = packed[pkg];
    expect(manifest.name).toBe(`@tailkube/${pkg}`);
    expect(
      ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts'].filter(
        (f) => !files.includes(f),
      ),
    ).toStrictEqual([]);
    expect(
      files.filter(
        (f) =>
          /^(src|test)\//.test(f) ||
          f.endsWith('.tsbuildinfo') ||
          (f.endsWith('.ts') && !f.endsWith('.d.ts')),
      ),
    ).toStrictEqual([]);
  });

  test.each(PACKAGES)('the %s manifest names versions, not the workspace protocol', (pkg) => {
    const { manifest } = packed[pkg];
    const fields = ['dependencies', 'peerDependencies', 'devDependencies', 'optionalDependencies'] as const;
    const ranges = fields.flatMap((f) =>
      Object.entries(manifest[f] ?? {}).map(([name, range]) => `${f}.${name}: ${range}`),
    );
    expect(ranges.filter((r) => r.includes('workspace:'))).toStrictEqual([]);
    if (pkg !== 'core' && pkg !== 'policy')
      expect(manifest.dependencies?.['@tailkube/core']).toBe(`^${packed.core.manifest.version}`);
  });

  test('a consumer project type-checks and runs a cdk8s and a Pulumi program against the tarballs', () => {
    // GIVEN: a project depending on the tarballs, laid out as an install would: tarballs unpacked
    // into node_modules, the frameworks and small dependencies linked from this workspace.
    const consumer = tempDir('consumer');
    const modules = path.join(consumer, 'node_modules');
    fs.writeFileSync(
      path.join(consumer, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        type: 'commonjs',
        dependencies: Object.fromEntries(
          PACKAGES.map((p) => [`@tailkube/${p}`, `file:${packed[p].tarball}`]),
        ),
      }),
    );
    const linked = new Set<string>();
    for (const pkg of PACKAGES) {
      const target = path.join(modules, '@tailkube', pkg);
      fs.mkdirSync(target, { recursive: true });
      run('tar', ['-xzf', packed[pkg].tarball, '-C', target, '--strip-components=1'], consumer);
      const { dependencies = {}, peerDependencies = {} } = packed[pkg].manifest;
      for (const dep of [...Object.keys(dependencies), ...Object.keys(peerDependencies)]) {
        if (dep.startsWith('@tailkube/') || linked.has(dep)) continue;
        const source = [
          path.join(ROOT, 'packages', pkg, 'node_modules', dep),
          path.join(ROOT, 'node_modules', dep),
        ].find((p) => fs.existsSync(p));
        if (!source) throw new Error(`${dep} (needed by @tailkube/${pkg}) is not installed in the workspace`);
        fs.mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
        fs.symlinkSync(fs.realpathSync(source), path.join(modules, dep), 'dir');
        linked.add(dep);
      }
    }
    fs.mkdirSync(path.join(modules, '@types'), { recursive: true });
    fs.symlinkSync(
      fs.realpathSync(path.join(ROOT, 'node_modules/@types/node')),
      path.join(modules, '@types/node'),
      'dir',
    );
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
    fs.writeFileSync(path.join(consumer, 'cdk8s.ts'), CDK8S_PROGRAM);
    fs.writeFileSync(path.join(consumer, 'pulumi.ts'), PULUMI_PROGRAM);
    fs.writeFileSync(path.join(consumer, 'testing.ts'), TESTING_PROGRAM);

    // WHEN: compiled with the workspace's tsc (node16 modules, strict)
    run(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], consumer);

    // THEN: the types resolved from the tarballs' dist (not src), and the programs run.
    expect(fs.existsSync(path.join(modules, '@tailkube/cdk8s/src'))).toBe(false);
    const outdir = path.join(consumer, 'synth');
    expect(JSON.parse(run('node', ['out/cdk8s.js', outdir], consumer))).toStrictEqual({
      tags: ['tag:k8s-operator'],
      policyFile: 'tailnet-policy.hujson',
    });
    expect(fs.readdirSync(outdir).sort()).toStrictEqual([
      'invalid.k8s.yaml',
      'operator.k8s.yaml',
      'tailnet-policy.hujson',
      'tailnet-requirements.json',
    ]);
    const types = JSON.parse(run('node', ['out/pulumi.js'], consumer)) as string[];
    expect(types).toStrictEqual(
      expect.arrayContaining([
        'tailscale:index/acl:Acl',
        'kubernetes:core/v1:Namespace',
        'kubernetes:helm.sh/v4:Chart',
      ]),
    );
    run('node', ['-e', "require('./out/testing.js')"], consumer);
    // The `tailkube` bin, as the manifest declares it, checks what the cdk8s program wrote.
    const bin = packed.cli.manifest as PackedManifest & { readonly bin?: Record<string, string> };
    expect(bin.bin).toStrictEqual({ tailkube: './dist/bin.js' });
    const executable = path.join(modules, '@tailkube/cli/dist/bin.js');
    expect(fs.readFileSync(executable, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(run('node', [executable, 'check', 'synth'], consumer)).toBe(
      'Offline checks of synth/tailnet-policy.hujson:\n  ok      the control plane would accept the policy\n',
    );
  }, 180_000);
});
