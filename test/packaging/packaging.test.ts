// The packages as npm users get them: the real tarballs (`pnpm pack`), linted with publint and
// @arethetypeswrong/core, installed with plain npm into scratch projects copied from the
// templates users start from, type-checked, run, tested with jest and the matchers, and bundled.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/synth';
import {
  PACKAGES,
  ROOT,
  bin,
  npmInstall,
  run,
  writeConsumer,
  writeWorkspace,
  type ConsumerSpec,
  type Pkg,
} from './consumers';

interface PackedManifest {
  readonly name: string;
  readonly version: string;
  readonly type?: string;
  readonly keywords?: readonly string[];
  readonly homepage?: string;
  readonly bugs?: { readonly url?: string };
  readonly repository?: { readonly url?: string; readonly directory?: string };
  readonly publishConfig?: { readonly access?: string };
  readonly exports: Record<string, { readonly types: string } | string>;
  readonly typesVersions?: Record<string, Record<string, readonly string[]>>;
  readonly imports?: Record<string, unknown>;
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

const CDK8S_DEV = ['typescript', 'jest', '@types/jest', '@types/node'] as const;

const CONSUMERS = {
  // `cdk8s init typescript-app`: CommonJS, node10 resolution, ts-jest, the global expect.
  'cdk8s-init': {
    template: 'cdk8s-init',
    type: 'commonjs',
    tailkube: ['policy', 'core', 'cdk8s', 'testing', 'cli'],
    dependencies: ['cdk8s', 'constructs'],
    devDependencies: [...CDK8S_DEV, 'ts-jest'],
    programs: ['main.ts', 'main.test.ts', 'hello-cdk8s.ts', 'hello-argocd.ts', 'adopt-helm.ts'],
  },
  // `pulumi new typescript`: CommonJS, node10 resolution; @swc/jest, expect from @jest/globals.
  'pulumi-new': {
    template: 'pulumi-new',
    type: 'commonjs',
    tailkube: ['policy', 'core', 'pulumi', 'testing'],
    dependencies: ['@pulumi/pulumi', '@pulumi/kubernetes', '@pulumi/tailscale'],
    devDependencies: [...CDK8S_DEV, '@jest/globals', '@swc/core', '@swc/jest'],
    programs: ['program.ts', 'index.ts', 'mocked.ts', 'index.test.ts', 'hello-pulumi.ts'],
  },
  // An ES module project, nodenext resolution; ts-jest with isolatedModules.
  'esm-nodenext': {
    template: 'esm-nodenext',
    type: 'module',
    tailkube: ['policy', 'core', 'cdk8s', 'testing'],
    dependencies: ['cdk8s', 'constructs'],
    devDependencies: [...CDK8S_DEV, 'ts-jest'],
    programs: ['main.ts', 'main.test.ts'],
  },
  // A bundled project, bundler resolution; @swc/jest.
  bundler: {
    template: 'bundler',
    type: 'module',
    tailkube: ['policy', 'core', 'cdk8s', 'testing'],
    dependencies: ['cdk8s', 'constructs'],
    devDependencies: [...CDK8S_DEV, '@swc/core', '@swc/jest'],
    programs: ['main.ts', 'main.test.ts'],
  },
} satisfies Record<string, ConsumerSpec>;
type ConsumerName = keyof typeof CONSUMERS;
const NAMES = Object.keys(CONSUMERS) as ConsumerName[];

/** What `app.synth()` of programs/main.ts writes. */
const SYNTHESIZED = [
  'operator.k8s.yaml',
  'platform.k8s.yaml',
  'tailnet-policy.hujson',
  'tailnet-requirements.json',
];

/** What a consumer's commands printed; a rejected promise fails the test that awaits it. */
interface Checks {
  /** The install root: the project itself, or the npm workspace holding it. */
  readonly root: string;
  readonly dir: string;
  /** tsc -p . (which emits the programs, but in the bundler project), then jest --ci. */
  readonly tsc: Promise<unknown>;
  readonly jest: Promise<{ stderr: string }>;
}

/** Awaits `promise` later without an unhandled rejection now. */
function settleLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

describe('packaging', () => {
  const packs = tempDir('packs');
  const packed = new Map<Pkg, Packed>();
  /** The packed tarball of `pkg`. */
  const pack = (pkg: Pkg): Packed => {
    const found = packed.get(pkg);
    if (found === undefined) throw new Error(`@tailkube/${pkg} was not packed`);
    return found;
  };
  const checks = {} as Record<ConsumerName, Checks>;
  let problems: Record<string, readonly string[]> = {};

  beforeAll(async () => {
    await run(
      path.join(ROOT, 'node_modules/.bin/tsc'),
      ['-b', ...PACKAGES.map((p) => `packages/${p}`)],
      ROOT,
    );
    for (const pkg of PACKAGES) {
      const before = new Set(fs.readdirSync(packs));
      await run('pnpm', ['pack', '--pack-destination', packs], path.join(ROOT, 'packages', pkg));
      const tarball = fs.readdirSync(packs).find((f) => !before.has(f) && f.endsWith('.tgz'));
      if (!tarball) throw new Error(`pnpm pack wrote no tarball for ${pkg}`);
      const full = path.join(packs, tarball);
      const { stdout: list } = await run('tar', ['-tzf', full], packs);
      const { stdout: manifest } = await run('tar', ['-xzOf', full, 'package/package.json'], packs);
      packed.set(pkg, {
        tarball: full,
        files: list
          .split('\n')
          .filter(Boolean)
          .map((f) => f.replace(/^package\//, '')),
        manifest: JSON.parse(manifest) as PackedManifest,
      });
    }
    const tarballs = Object.fromEntries(PACKAGES.map((p) => [p, pack(p).tarball]));

    // Two installs: the cdk8s projects as members of one npm workspace (one install, shared
    // node_modules), and the Pulumi project alone, so neither side sees the other's packages.
    const cdk8sRoot = tempDir('consumers-cdk8s');
    const pulumiRoot = tempDir('consumers-pulumi');
    const roots = {} as Record<ConsumerName, string>;
    for (const name of NAMES) {
      roots[name] = name === 'pulumi-new' ? pulumiRoot : cdk8sRoot;
      const dir = name === 'pulumi-new' ? pulumiRoot : path.join(cdk8sRoot, name);
      fs.mkdirSync(dir, { recursive: true });
      writeConsumer(dir, CONSUMERS[name], tarballs);
    }
    writeWorkspace(
      cdk8sRoot,
      NAMES.filter((n) => n !== 'pulumi-new'),
    );
    // The installs wait on the network and the disk, the lint and the compilers on the CPU: each
    // project's chain runs as soon as its install is done, and the tests await their part.
    const lint = run(
      process.execPath,
      [path.join(__dirname, 'lint-tarballs.mjs'), ...PACKAGES.map((p) => pack(p).tarball)],
      ROOT,
    );
    const installs = { [cdk8sRoot]: npmInstall(cdk8sRoot), [pulumiRoot]: npmInstall(pulumiRoot) };
    for (const name of NAMES) {
      const root = roots[name];
      const dir = name === 'pulumi-new' ? root : path.join(root, name);
      const tsc = settleLater(installs[root]!.then(() => bin(root, dir, 'tsc', ['-p', '.'])));
      const jest = settleLater(tsc.then(() => bin(root, dir, 'jest', ['--ci'])));
      checks[name] = { root, dir, tsc, jest };
    }
    await Promise.all(Object.values(installs));
    problems = JSON.parse((await lint).stdout) as Record<string, readonly string[]>;
  }, 300_000);

  describe.each(PACKAGES)('the @tailkube/%s tarball', (pkg) => {
    test('holds the manifest, README, LICENSE, CHANGELOG and built entry point, and no sources', () => {
      const { files, manifest } = pack(pkg);
      expect(manifest.name).toBe(`@tailkube/${pkg}`);
      expect(PACKAGES).toStrictEqual(
        expect.arrayContaining(['policy', 'core', 'cdk8s', 'pulumi', 'testing']),
      );
      expect(
        ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts'].filter(
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

    test('links its README to absolute URLs: docs/ and examples/ are not in the tarball', async () => {
      const { stdout: readme } = await run('tar', ['-xzOf', pack(pkg).tarball, 'package/README.md'], packs);
      const relative = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1]!)
        .filter((target) => !/^(https?:|mailto:|#)/.test(target));
      expect(relative).toStrictEqual([]);
    });

    test('carries what npm shows and publishes: public access, links, type, its own keywords', () => {
      const { manifest } = pack(pkg);
      expect({
        access: manifest.publishConfig?.access,
        type: manifest.type,
        homepage: manifest.homepage,
        bugs: manifest.bugs?.url,
        repository: manifest.repository,
      }).toStrictEqual({
        access: 'public',
        type: 'commonjs',
        homepage: `https://github.com/tailkube/tailkube/tree/main/packages/${pkg}#readme`,
        bugs: 'https://github.com/tailkube/tailkube/issues',
        repository: {
          type: 'git',
          url: 'git+https://github.com/tailkube/tailkube.git',
          directory: `packages/${pkg}`,
        },
      });
      const others = PACKAGES.filter((p) => p !== pkg).map((p) => JSON.stringify(pack(p).manifest.keywords));
      expect(manifest.keywords?.length).toBeGreaterThan(2);
      expect(others).not.toContain(JSON.stringify(manifest.keywords));
    });

    test('uses every dependency it declares, in its code or its types', async () => {
      // A dependency nothing loads is install weight for nothing (core once declared `yaml`, 22%
      // of the cdk8s flavor's install).
      const { manifest, tarball } = pack(pkg);
      const unpacked = tempDir(`unpacked-${pkg}`);
      await run('tar', ['-xzf', tarball, '-C', unpacked], packs);
      const dist = path.join(unpacked, 'package', 'dist');
      const built = fs
        .readdirSync(dist, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))
        .map((f) => fs.readFileSync(path.join(dist, f), 'utf8'))
        .join('\n');
      const loaded = (dep: string) =>
        new RegExp(`(require\\(|from |import\\()["']${dep.replace(/[.]/g, '\\.')}(/[^"']*)?["']`).test(
          built,
        ) || JSON.stringify(manifest.imports ?? {}).includes(`"${dep}`);
      expect(Object.keys(manifest.dependencies ?? {}).filter((dep) => !loaded(dep))).toStrictEqual([]);
    });

    test('names versions, not the workspace protocol', () => {
      const { manifest } = pack(pkg);
      const fields = ['dependencies', 'peerDependencies', 'devDependencies', 'optionalDependencies'] as const;
      const ranges = fields.flatMap((f) =>
        Object.entries(manifest[f] ?? {}).map(([name, range]) => `${f}.${name}: ${range}`),
      );
      expect(ranges.filter((r) => r.includes('workspace:'))).toStrictEqual([]);
      if (pkg !== 'core' && pkg !== 'policy')
        expect(manifest.dependencies?.['@tailkube/core']).toBe(`^${pack('core').manifest.version}`);
    });

    test('passes publint (strict) and @arethetypeswrong in every resolution mode', () => {
      expect(problems[path.basename(pack(pkg).tarball)]).toStrictEqual([]);
    });

    test('maps every exports subpath in typesVersions, for moduleResolution node10', () => {
      const { manifest } = pack(pkg);
      const subpaths = Object.entries(manifest.exports)
        .filter(([key, target]) => key !== '.' && typeof target !== 'string')
        .map(([key, target]) => [key.slice(2), [(target as { types: string }).types]] as const);
      expect(manifest.typesVersions?.['*'] ?? {}).toStrictEqual(Object.fromEntries(subpaths));
    });
  });

  describe.each(NAMES)('a %s project', (name) => {
    test('type-checks against the tarballs, whose types come from dist', async () => {
      await checks[name].tsc;
      expect(fs.existsSync(path.join(checks[name].root, 'node_modules/@tailkube/core/src'))).toBe(false);
      expect(fs.existsSync(path.join(checks[name].root, 'node_modules/@tailkube/core/dist/index.d.ts'))).toBe(
        true,
      );
    }, 240_000);

    test('passes its jest test with the matchers', async () => {
      const { stderr } = await checks[name].jest;
      expect(stderr).toMatch(/Tests: +\d+ passed, \d+ total/);
    }, 240_000);
  });

  test('a cdk8s-init program synthesizes the charts and the policy files', async () => {
    const { dir, tsc } = checks['cdk8s-init'];
    await tsc;
    const { stdout } = await run(process.execPath, ['main.js'], dir, { SYNTH_OUTDIR: 'dist' });
    expect(JSON.parse(stdout)).toStrictEqual({
      invalidField: 'hostname',
      policyFile: 'tailnet-policy.hujson',
    });
    expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toStrictEqual(SYNTHESIZED);
    // The `tailkube` bin the cli tarball declares checks what the program wrote.
    const { root } = checks['cdk8s-init'];
    const check = await bin(root, dir, 'tailkube', ['check', 'dist']);
    expect(check.stdout).toContain('ok      the control plane would accept the policy');
  }, 120_000);

  test('an ES module program runs under node', async () => {
    const { dir, tsc } = checks['esm-nodenext'];
    await tsc;
    const { stdout } = await run(process.execPath, ['out/main.js'], dir, { SYNTH_OUTDIR: 'dist' });
    expect(JSON.parse(stdout)).toStrictEqual({
      invalidField: 'hostname',
      policyFile: 'tailnet-policy.hujson',
    });
    expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toStrictEqual(SYNTHESIZED);
  }, 120_000);

  test('a program bundled by esbuild (--bundle --platform=node) runs without node_modules', async () => {
    const { dir } = checks.bundler;
    const bundle = path.join(tempDir('bundle'), 'main.cjs');
    await run(
      path.join(ROOT, 'node_modules/.bin/esbuild'),
      ['main.ts', '--bundle', '--platform=node', '--log-level=warning', `--outfile=${bundle}`],
      dir,
    );
    const outdir = path.join(path.dirname(bundle), 'dist');
    const { stdout } = await run(process.execPath, [bundle], path.dirname(bundle), { SYNTH_OUTDIR: outdir });
    expect(JSON.parse(stdout)).toStrictEqual({
      invalidField: 'hostname',
      policyFile: 'tailnet-policy.hujson',
    });
    expect(fs.readdirSync(outdir).sort()).toStrictEqual(SYNTHESIZED);
  }, 120_000);

  test('a pulumi-new program runs under mocks', async () => {
    const { dir, tsc } = checks['pulumi-new'];
    await tsc;
    const { stdout } = await run(process.execPath, ['bin/mocked.js'], dir);
    expect(JSON.parse(stdout)).toStrictEqual(
      expect.arrayContaining([
        'tailscale:index/acl:Acl',
        'tailscale:index/oauthClient:OauthClient',
        'kubernetes:core/v1:Namespace',
        'kubernetes:helm.sh/v4:Chart',
      ]),
    );
  }, 120_000);

  test.each([
    [
      'cdk8s-init',
      '@tailkube/testing/pulumi',
      '@tailkube/pulumi @pulumi/pulumi @pulumi/kubernetes @pulumi/tailscale',
    ],
    ['pulumi-new', '@tailkube/testing/cdk8s', '@tailkube/cdk8s cdk8s constructs'],
  ] as const)('in a %s project, %s without its peers says what to install', async (name, entry, install) => {
    const failure = run(process.execPath, ['-e', `require('${entry}')`], checks[name].dir);
    await expect(failure).rejects.toThrow(`Install with \`npm install --save-dev ${install}\``);
    await expect(failure).rejects.toThrow(`${entry} needs `);
  });
});
