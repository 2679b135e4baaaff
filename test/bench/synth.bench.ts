import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiObject, App, Chart, type ApiObjectProps } from 'cdk8s';
import { Tailnet, TailscaleOperator } from '@tailkube/cdk8s';
import { TailnetModel, type TailnetRequirements } from '@tailkube/core';

/** One row of `bench-results.json`. */
export interface BenchRow {
  /** `synth:<what>` for rows compared with bare cdk8s; other rows have no baseline. */
  readonly name: string;
  /** Kubernetes objects synthesized, or requirements registered for `policy:*` rows. */
  readonly n: number;
  /** Median milliseconds through tailkube. */
  readonly ms: number;
  /** Median milliseconds for bare cdk8s `ApiObject`s with the same bodies, or null. */
  readonly baselineMs: number | null;
  /** `ms / baselineMs` (goal ≤ 1.2), or null. */
  readonly ratio: number | null;
}

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** @default [100, 1000, 10000] */
  readonly sizes?: readonly number[];
  /** Timed runs per size and side; the median is reported. @default 7 */
  readonly repetitions?: number;
  /** Untimed runs per size and side first. @default 2 */
  readonly warmup?: number;
  /** Where the rows are written, or false. @default '<repository root>/bench-results.json' */
  readonly out?: string | false;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

/** Objects one TailscaleOperator synthesizes (Namespace, HelmRepository, HelmRelease). */
const OBJECTS_PER_OPERATOR = 3;
const RATIO_GOAL = 1.2;
const GROWTH_GOAL = 11;

type Bodies = readonly ApiObjectProps[];

/** One operator per tailnet and one tailnet per app: `apps` apps, each synthesized with its policy. */
function synthTailkube(apps: number, keep?: Bodies[]): number {
  let objects = 0;
  for (let i = 0; i < apps; i++) {
    const app = new App();
    const chart = new Chart(app, 'operator');
    new TailscaleOperator(chart, 'Operator', { hostname: `operator-${i}` });
    const json = chart.toJson() as ApiObjectProps[];
    objects += json.length;
    Tailnet.of(app).synth();
    keep?.push(json);
  }
  return objects;
}

/** The same objects, with the same bodies, as bare `ApiObject`s. */
function synthBaseline(bodies: readonly Bodies[]): number {
  let objects = 0;
  for (const appBodies of bodies) {
    const app = new App();
    const chart = new Chart(app, 'operator');
    appBodies.forEach((body, j) => new ApiObject(chart, `Object${j}`, body));
    objects += chart.toJson().length;
  }
  return objects;
}

/** `count` requirements such as proxies, routers and services register: tags, grants, routes. */
function requirements(count: number): TailnetRequirements[] {
  const reqs: TailnetRequirements[] = [
    {
      source: "TailscaleOperator 'operator'",
      operator: { tags: ['tag:k8s-operator'], namespace: 'tailscale', credentials: { kind: 'oauth-client' } },
      proxyTags: ['tag:k8s'],
      hostnames: ['tailscale-operator'],
      oauthScopes: ['auth_keys', 'devices:core'],
    },
  ];
  for (let i = 1; i < count; i++) {
    const tag = `tag:svc-${i}`;
    reqs.push({
      source: `Service 'apps/svc-${i}'`,
      proxyTags: [tag],
      hostnames: [`svc-${i}`],
      grants: [{ src: ['autogroup:member'], dst: [tag], ip: ['tcp:443'] }],
      autoApprovers: { routes: { [`10.${(i >> 8) & 255}.${i & 255}.0/24`]: [tag] } },
      intendedAccess: [{ src: 'autogroup:member', dst: tag, port: 443, expect: 'allow' }],
    });
  }
  return reqs;
}

function renderPolicy(reqs: readonly TailnetRequirements[]): number {
  const model = new TailnetModel("Tailnet 'bench'");
  for (const req of reqs) model.register(req);
  return model.seal().text.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time(fn: () => unknown): number {
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const round = (x: number): number => Math.round(x * 100) / 100;

/**
 * Measures synthesis through tailkube against bare cdk8s, and policy rendering, in this process.
 * Prints a table and writes the rows to `bench-results.json`; asserts nothing.
 */
export function runBench(options: BenchOptions = {}): BenchRow[] {
  const { sizes = [100, 1000, 10000], repetitions = 7, warmup = 2, log = console.log } = options;
  const rows: BenchRow[] = [];

  for (const n of sizes) {
    const apps = Math.ceil(n / OBJECTS_PER_OPERATOR);
    const bodies: Bodies[] = [];
    const objects = synthTailkube(apps, bodies);
    if (
      synthBaseline(bodies) !== objects ||
      JSON.stringify(bodies[0]) !== JSON.stringify(baselineJson(bodies[0]!))
    ) {
      throw new Error('the baseline does not synthesize the same objects');
    }
    for (let i = 0; i < warmup; i++) {
      synthTailkube(apps);
      synthBaseline(bodies);
    }
    const ours: number[] = [];
    const theirs: number[] = [];
    // Alternate, so drift in the machine's speed hits both sides alike.
    for (let i = 0; i < repetitions; i++) {
      ours.push(time(() => synthTailkube(apps)));
      theirs.push(time(() => synthBaseline(bodies)));
    }
    const ms = median(ours);
    const baselineMs = median(theirs);
    rows.push({
      name: 'synth:tailscale-operator',
      n,
      ms: round(ms),
      baselineMs: round(baselineMs),
      ratio: round(ms / baselineMs),
    });
  }

  for (const n of sizes) {
    const reqs = requirements(n);
    for (let i = 0; i < warmup; i++) renderPolicy(reqs);
    const runs = Array.from({ length: repetitions }, () => time(() => renderPolicy(reqs)));
    rows.push({ name: 'policy:render', n, ms: round(median(runs)), baselineMs: null, ratio: null });
  }

  for (const line of table(rows)) log(line);
  const out = options.out ?? path.join(repositoryRoot(), 'bench-results.json');
  if (out !== false) {
    fs.writeFileSync(out, `${JSON.stringify(rows, null, 2)}\n`);
    log(`wrote ${path.relative(process.cwd(), out) || out}`);
  }
  return rows;
}

function baselineJson(bodies: Bodies): unknown {
  const chart = new Chart(new App(), 'operator');
  bodies.forEach((body, j) => new ApiObject(chart, `Object${j}`, body));
  return chart.toJson();
}

function table(rows: readonly BenchRow[]): string[] {
  const header = ['name', 'n', 'ms', 'baseline ms', 'ratio', 'growth/10x'];
  const cells = rows.map((row) => {
    const previous = rows.find((r) => r.name === row.name && r.n * 10 === row.n);
    const growth = previous ? row.ms / previous.ms : undefined;
    return [
      row.name,
      String(row.n),
      row.ms.toFixed(1),
      row.baselineMs === null ? '-' : row.baselineMs.toFixed(1),
      row.ratio === null ? '-' : `${row.ratio.toFixed(2)}${row.ratio > RATIO_GOAL ? ' (goal ≤ 1.2)' : ''}`,
      growth === undefined ? '-' : `${growth.toFixed(2)}${growth > GROWTH_GOAL ? ' (goal ≤ 11)' : ''}`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string =>
    c.map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

if (require.main === module) runBench();
