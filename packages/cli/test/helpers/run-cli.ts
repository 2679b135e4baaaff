import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
/** The executable users run: the built `bin` of the package. */
export const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
/** The golden output of the examples, as `cdk8s synth` writes it. */
export const GOLDEN = path.join(ROOT, 'test/golden');

/** Builds the package (incrementally), so the tests run the real executable. */
export function buildCli(): void {
  try {
    execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'packages/cli'], {
      cwd: ROOT,
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    throw new Error(`tsc -b packages/cli failed:\n${(error as { stdout?: string }).stdout ?? ''}`);
  }
}

/** What one run of the executable did. */
export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `tailkube` as a subprocess in `cwd` with exactly `env` (plus PATH), asynchronously, so a
 * server in this process keeps answering.
 */
export function tailkube(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

/** A fresh directory holding `dist/`, a copy of the golden output of `example`. */
export function workspaceWith(example: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-cli-'));
  fs.cpSync(path.join(GOLDEN, example), path.join(dir, 'dist'), { recursive: true });
  return dir;
}
