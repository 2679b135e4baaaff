// Synthesizes every example offline into dist/examples/<example>/: the Kubernetes objects
// (*.k8s.yaml), tailnet-policy.hujson and tailnet-requirements.json, and prints a summary.
// cdk8s examples run their own `main`; Pulumi examples have no synth phase, so their program
// runs under mocks and the files are written from the resources it registered.
// TAILKUBE_EXAMPLES=a,b synthesizes only those examples.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'packages', 'testing', 'package.json'));
const YAML = require('yaml');

const only = process.env.TAILKUBE_EXAMPLES?.split(',').filter(Boolean);
const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && (!only?.length || only.includes(entry.name)))
  .map((entry) => entry.name)
  .sort();

for (const name of examples) {
  const dir = join(root, 'examples', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const outdir = join(process.env.TAILKUBE_EXAMPLES_OUT ?? join(root, 'dist', 'examples'), name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  if (manifest.tailkube?.flavor === 'pulumi') {
    await synthPulumi(dir, outdir, name);
  } else {
    execFileSync(process.execPath, [join(dir, manifest.main)], {
      cwd: dir,
      env: { ...process.env, TAILKUBE_OUTDIR: outdir },
      stdio: 'inherit',
    });
  }
  summarize(name, outdir);
}

async function synthPulumi(dir, outdir, name) {
  const exampleRequire = createRequire(join(dir, 'package.json'));
  const { runPulumi } = require('@tailkube/testing/pulumi');
  const { program, tailnetArgs } = exampleRequire(join(dir, 'dist', 'program.js'));
  const result = await runPulumi(program, tailnetArgs);
  const documents = [
    ...result.objects.map((object) => new YAML.Document(object)),
    ...result.charts.map((chart) => {
      const doc = new YAML.Document(chart);
      doc.commentBefore = ' Helm chart installed by Pulumi (kubernetes:helm.sh/v4:Chart)';
      return doc;
    }),
  ];
  writeFileSync(join(outdir, `${name}.k8s.yaml`), documents.map((doc) => doc.toString()).join('---\n'));
  writeFileSync(join(outdir, 'tailnet-policy.hujson'), result.policyText);
  writeFileSync(
    join(outdir, 'tailnet-requirements.json'),
    `${JSON.stringify(result.requirements, null, 2)}\n`,
  );
}

function summarize(name, outdir) {
  const files = readdirSync(outdir, { recursive: true })
    .filter((file) => file.includes('.'))
    .sort();
  const kinds = {};
  for (const file of files.filter((f) => f.endsWith('.k8s.yaml'))) {
    for (const doc of YAML.parseAllDocuments(readFileSync(join(outdir, file), 'utf8'))) {
      const object = doc.toJS();
      if (!object) continue;
      const kind = object.kind ?? `Chart ${object.chart}@${object.version}`;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
  }
  const report = JSON.parse(readFileSync(join(outdir, 'tailnet-requirements.json'), 'utf8'));
  const added = Object.entries(report.policyEntriesAdded).map(([section, n]) => `${section} +${n}`);
  console.log(`\n${name}  →  ${outdir}/`);
  console.log(`  files    ${files.join(', ')}`);
  console.log(
    `  objects  ${Object.entries(kinds)
      .map(([kind, n]) => `${kind} ×${n}`)
      .join(', ')}`,
  );
  console.log(
    `  tags     ${Object.entries(report.tagOwners)
      .map(([tag, owners]) => `${tag} (owned by ${owners.join(', ') || 'admins'})`)
      .join(', ')}`,
  );
  if (report.operator) {
    const { scopes, tags, credentials } = report.operator;
    console.log(
      `  oauth    scopes ${scopes.join(', ')}; tags ${tags.join(', ')}; credentials ${credentials.kind}`,
    );
  }
  console.log(`  policy   ${added.length ? added.join(', ') : 'nothing added'}`);
}
