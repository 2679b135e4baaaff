import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.resolve(__dirname, '../..');
/** Every package the workspace publishes: the folders of packages/ whose manifest is not private. */
export const PACKAGES: readonly string[] = fs
  .readdirSync(path.join(ROOT, 'packages'))
  .filter((dir) => {
    const manifest = path.join(ROOT, 'packages', dir, 'package.json');
    return (
      fs.existsSync(manifest) &&
      !(JSON.parse(fs.readFileSync(manifest, 'utf8')) as { private?: boolean }).private
    );
  })
  .sort();
/** A package of packages/, by folder name. */
export type Pkg = string;

const execFileAsync = promisify(execFile);

/**
 * What a consumer's commands must not inherit from this workspace: pnpm's bin shims set NODE_PATH
 * to the workspace's modules (a consumer would find packages it never installed), jest its worker
 * id, and colors would garble the output the tests read.
 */
const CLEAN_ENV = { NODE_PATH: '', NODE_OPTIONS: '', JEST_WORKER_ID: '', NO_COLOR: '1', FORCE_COLOR: '0' };

/** Runs a command; on failure, throws with everything it printed. Resolves with stdout and stderr. */
export async function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(command, args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...CLEAN_ENV, ...env },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}\n${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`,
    );
  }
}

/**
 * The framework and tool versions consumers install: this workspace's, pinned, so a release of
 * any of them changes this test only when the workspace moves to it.
 */
export const VERSIONS = {
  cdk8s: '2.70.106',
  constructs: '10.8.1',
  '@pulumi/pulumi': '3.248.0',
  '@pulumi/kubernetes': '4.34.2',
  '@pulumi/tailscale': '0.29.1',
  typescript: '5.9.3',
  jest: '30.5.2',
  '@jest/globals': '30.5.2',
  'ts-jest': '29.4.15',
  '@types/jest': '30.0.0',
  '@types/node': '20.19.43',
  '@swc/core': '1.16.22',
  '@swc/jest': '0.2.39',
} as const;

type Tool = keyof typeof VERSIONS;

/** A scratch project as a user sets one up: a real template, the programs, npm-installed deps. */
export interface ConsumerSpec {
  /** The folder under templates/ holding its tsconfig.json (and jest.config.js). */
  readonly template: string;
  /** "module" for an ES module project. */
  readonly type: 'commonjs' | 'module';
  /** The tailkube tarballs it depends on. */
  readonly tailkube: readonly Pkg[];
  readonly dependencies: readonly Tool[];
  readonly devDependencies: readonly Tool[];
  /** Files of programs/ it holds. */
  readonly programs: readonly string[];
}

/**
 * Writes the project into `dir`: its template, its programs and a package.json naming the
 * tarballs. ES module projects write relative imports with the emitted file's extension
 * (`./main.js`), so the programs' relative imports get it there.
 */
export function writeConsumer(
  dir: string,
  spec: ConsumerSpec,
  tarballs: Readonly<Record<Pkg, string>>,
): void {
  fs.cpSync(path.join(__dirname, 'templates', spec.template), dir, { recursive: true });
  for (const file of spec.programs) {
    let text = fs.readFileSync(path.join(__dirname, 'programs', file), 'utf8');
    if (spec.type === 'module') text = text.replace(/from '(\.\/[a-z-]+)'/g, "from '$1.js'");
    fs.writeFileSync(path.join(dir, file), text);
  }
  const pinned = (tools: readonly Tool[]) => Object.fromEntries(tools.map((t) => [t, VERSIONS[t]]));
  writeJson(path.join(dir, 'package.json'), {
    name: `consumer-${spec.template}`,
    version: '1.0.0',
    private: true,
    type: spec.type,
    dependencies: {
      ...Object.fromEntries(spec.tailkube.map((p) => [`@tailkube/${p}`, `file:${tarballs[p]}`])),
      ...pinned(spec.dependencies),
    },
    devDependencies: pinned(spec.devDependencies),
  });
}

/** An npm workspace at `root` whose members are the projects in its subfolders `members`. */
export function writeWorkspace(root: string, members: readonly string[]): void {
  writeJson(path.join(root, 'package.json'), { name: 'consumers', private: true, workspaces: members });
}

/**
 * `npm install` in `dir`. --prefer-offline: the npm cache answers when it can, the registry
 * otherwise. --ignore-scripts: no install script is needed (esbuild and swc find their platform
 * package without one).
 */
export async function npmInstall(dir: string): Promise<void> {
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
    dir,
  );
}

/** Runs `name` from the `node_modules/.bin` of the install at `root`, in `dir`. */
export function bin(
  root: string,
  dir: string,
  name: string,
  args: readonly string[],
  env: Record<string, string> = {},
) {
  return run(process.execPath, [path.join(root, 'node_modules', '.bin', name), ...args], dir, env);
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
