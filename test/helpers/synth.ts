import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import type { KubeObjectLike } from './schemas';

/** What `app.synth()` wrote: every file, by its path relative to the output directory. */
export interface SynthesizedApp {
  readonly outdir: string;
  readonly files: Readonly<Record<string, string>>;
}

const tempDirs: string[] = [];

/** A fresh temporary directory, removed when the process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tailkube-${prefix}-`));
  if (tempDirs.push(dir) === 1) {
    process.once('exit', () => {
      for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

/** Builds a cdk8s app with `build`, synthesizes it into a new temporary directory and reads it back. */
export function synthApp(build: (app: App) => void): SynthesizedApp {
  const outdir = tempDir('synth');
  const app = new App({ outdir });
  build(app);
  app.synth();
  return { outdir, files: readTree(outdir) };
}

/** Every file under `dir`, by relative path, sorted. */
export function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The Kubernetes objects in the `*.k8s.yaml` files of a synthesized app. */
export function kubeObjects(synthesized: SynthesizedApp): KubeObjectLike[] {
  return Object.entries(synthesized.files)
    .filter(([file]) => file.endsWith('.k8s.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map((doc) => doc.toJS() as KubeObjectLike | null))
    .filter((obj): obj is KubeObjectLike => obj !== null);
}
