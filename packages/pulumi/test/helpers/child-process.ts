import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a child process left: its exit status and output. */
export interface ChildRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `body` in a child `node` process (its script written to `dir/<name>.js`) with `Tailnet`,
 * `TailscaleOperator`, `runWithMocks` and `tailnetProgram` in scope, the whole package as
 * `tailkube`, and `root` (the repository) to resolve other packages from. The child loads the
 * packages' TypeScript sources through @swc/core (the compiler jest uses), so it runs exactly the
 * code under test, without a build; and what reaches the process (exit, unhandled rejections) is
 * its own, not jest's.
 */
export function runPulumiChild(dir: string, name: string, body: string): ChildRun {
  const root = path.resolve(__dirname, '../../../..');
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(
    file,
    `const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const root = ${JSON.stringify(root)};
const swc = require(require.resolve('@swc/core', { paths: [root] }));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const match = /^@tailkube\\/([a-z0-9-]+)$/.exec(request);
  if (match) return path.join(root, 'packages', match[1], 'src', 'index.ts');
  return resolve.call(this, request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
const tailkube = require('@tailkube/pulumi');
const { Tailnet, TailscaleOperator, runWithMocks, tailnetProgram } = tailkube;
${body}
`,
  );
  const child = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}
