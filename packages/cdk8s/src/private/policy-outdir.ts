import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the policy files go, and what to tell the user when it is not beside the charts. */
export interface PolicyOutdir {
  readonly dir: string;
  readonly note?: string;
}

/**
 * Where an app synthesizing its charts into `outdir` writes the policy files: beside the charts,
 * except where `cdk8s synth` puts the charts somewhere the files do not belong.
 *
 * - `--format helm` synthesizes into the chart's `templates/`, whose every file Helm renders as a
 *   manifest: the files go to the chart's root, beside `Chart.yaml`.
 * - `--stdout` synthesizes into a temporary directory (`CDK8S_OUTDIR`, `cdk8s-XXXXXX` under the
 *   system's temporary directory) that the CLI deletes once it has printed the YAML: the files go
 *   to `dist/` of the working directory, cdk8s's default output, and the note says so.
 */
export function policyOutdir(
  outdir: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): PolicyOutdir {
  const parent = path.dirname(outdir);
  if (path.basename(outdir) === 'templates' && fs.existsSync(path.join(parent, 'Chart.yaml'))) {
    return { dir: parent };
  }
  if (env['CDK8S_OUTDIR'] === outdir && isCdk8sTempDir(outdir)) {
    const dir = path.resolve(cwd, 'dist');
    return {
      dir,
      note: `tailkube: cdk8s synth --stdout prints the manifests only; the tailnet policy files are in ${dir}`,
    };
  }
  return { dir: outdir };
}

/** Whether `dir` is what cdk8s-cli's `mkdtemp` creates: `<tmpdir>/cdk8s-` and six characters. */
function isCdk8sTempDir(dir: string): boolean {
  return (
    /^cdk8s-[A-Za-z0-9]{6}$/.test(path.basename(dir)) && realpath(path.dirname(dir)) === realpath(os.tmpdir())
  );
}

function realpath(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}
