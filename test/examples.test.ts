import { execFileSync, execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The main job end to end: `scripts/synth-examples.mjs` over the built packages and examples,
 * compared byte for byte with the reviewed golden output in `test/golden/`. After an intended
 * change, refresh the golden files with `UPDATE_GOLDEN=1 npx jest test/examples.test.ts`;
 * `TAILKUBE_EXAMPLES=a,b` limits both the check and the refresh to those examples.
 */
const root = path.resolve(__dirname, '..');
const golden = path.join(__dirname, 'golden');

const only = process.env['TAILKUBE_EXAMPLES']?.split(',').filter(Boolean);
const examples = fs
  .readdirSync(path.join(root, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && (!only?.length || only.includes(e.name)))
  .map((e) => e.name)
  .sort();

describe('examples synthesize offline to their golden output', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-examples-'));

  beforeAll(() => {
    execSync('npx tsc -b packages/core packages/cdk8s packages/pulumi packages/testing examples', {
      cwd: root,
    });
    execFileSync(process.execPath, ['scripts/synth-examples.mjs'], {
      cwd: root,
      env: { ...process.env, TAILKUBE_EXAMPLES_OUT: out },
      stdio: 'pipe',
    });
    if (process.env['UPDATE_GOLDEN']) {
      for (const name of examples) {
        fs.rmSync(path.join(golden, name), { recursive: true, force: true });
        fs.cpSync(path.join(out, name), path.join(golden, name), { recursive: true });
      }
    }
  }, 180_000);

  test.each(examples)('%s', (name) => {
    const files = filesUnder(path.join(out, name));
    expect(files).toStrictEqual(filesUnder(path.join(golden, name)));
    expect(files).toEqual(expect.arrayContaining(['tailnet-policy.hujson', 'tailnet-requirements.json']));
    for (const file of files) {
      expect(`${file}:\n${fs.readFileSync(path.join(out, name, file), 'utf8')}`).toBe(
        `${file}:\n${fs.readFileSync(path.join(golden, name, file), 'utf8')}`,
      );
    }
  });
});

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
