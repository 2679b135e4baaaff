import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { POLICY_FILE, REQUIREMENTS_FILE, TailscaleOperator } from '@tailkube/cdk8s';
import { policyOutdir } from '../../src/private/policy-outdir';

/** A fresh directory `cdk8s-XXXXXX` under the system's temporary directory, as cdk8s-cli makes. */
function cdk8sTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-'));
}

/** A Helm chart scaffold as `cdk8s synth --format helm` writes it before the app runs. */
function helmScaffold(): string {
  const chart = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-helm-'));
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 1.0.0\n');
  fs.mkdirSync(path.join(chart, 'templates'));
  return chart;
}

describe('policyOutdir', () => {
  test('is the app outdir for a plain synth', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-dist-'));
    expect(policyOutdir(outdir, { CDK8S_OUTDIR: outdir })).toStrictEqual({ dir: outdir });
  });

  test('is the chart root, not templates/, under `cdk8s synth --format helm`', () => {
    const chart = helmScaffold();
    const templates = path.join(chart, 'templates');
    expect(policyOutdir(templates, { CDK8S_OUTDIR: templates })).toStrictEqual({ dir: chart });
  });

  test('is a templates/ directory itself when no Chart.yaml is beside it', () => {
    const templates = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-')), 'templates');
    expect(policyOutdir(templates, {})).toStrictEqual({ dir: templates });
  });

  test('is dist/ of the working directory, with a note, under `cdk8s synth --stdout`', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-project-'));
    const outdir = cdk8sTempDir();
    expect(policyOutdir(outdir, { CDK8S_OUTDIR: outdir }, cwd)).toStrictEqual({
      dir: path.join(cwd, 'dist'),
      note: `tailkube: cdk8s synth --stdout prints the manifests only; the tailnet policy files are in ${path.join(cwd, 'dist')}`,
    });
  });

  test('is a cdk8s-like temporary directory itself when the CLI did not choose it', () => {
    const outdir = cdk8sTempDir();
    expect(policyOutdir(outdir, {})).toStrictEqual({ dir: outdir });
  });
});

describe('app.synth() under cdk8s synth --format helm', () => {
  test('writes the policy files beside Chart.yaml and only manifests to templates/', () => {
    // GIVEN: the outdir cdk8s-cli gives the app for a Helm chart
    const chart = helmScaffold();
    const app = new App({ outdir: path.join(chart, 'templates') });
    new TailscaleOperator(new Chart(app, 'ops'), 'operator');

    // WHEN
    app.synth();

    // THEN
    expect(fs.readdirSync(path.join(chart, 'templates'))).toStrictEqual(['ops.k8s.yaml']);
    expect(fs.readdirSync(chart).sort()).toStrictEqual(
      ['Chart.yaml', POLICY_FILE, 'templates', REQUIREMENTS_FILE].sort(),
    );
  });
});

describe('app.synth() under cdk8s synth --stdout', () => {
  afterEach(() => jest.restoreAllMocks());

  test('keeps the policy files in dist/ and says so on stderr, not stdout', () => {
    // GIVEN: the temporary outdir cdk8s-cli gives the app, and deletes after printing the YAML
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-project-'));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = jest.spyOn(process.stdout, 'write');
    const outdir = cdk8sTempDir();
    const saved = { cwd: process.cwd(), outdir: process.env['CDK8S_OUTDIR'] };
    process.env['CDK8S_OUTDIR'] = outdir;
    process.chdir(cwd);
    try {
      const app = new App();
      new TailscaleOperator(new Chart(app, 'ops'), 'operator');

      // WHEN
      app.synth();
    } finally {
      process.chdir(saved.cwd);
      if (saved.outdir === undefined) delete process.env['CDK8S_OUTDIR'];
      else process.env['CDK8S_OUTDIR'] = saved.outdir;
    }

    // THEN
    expect(fs.readdirSync(outdir)).toStrictEqual(['ops.k8s.yaml']);
    const dist = path.join(fs.realpathSync(cwd), 'dist');
    expect(fs.readdirSync(dist).sort()).toStrictEqual([POLICY_FILE, REQUIREMENTS_FILE]);
    expect(stderr.mock.calls.map(([text]) => String(text))).toStrictEqual([
      `tailkube: cdk8s synth --stdout prints the manifests only; the tailnet policy files are in ${dist}\n`,
    ]);
    expect(stdout).not.toHaveBeenCalled();
  });
});
