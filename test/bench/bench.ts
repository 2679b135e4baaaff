import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

/** One row of `bench-results.json`. */
export interface BenchRow {
  /** `synth:<what>` for rows compared with bare cdk8s; other rows may have no baseline. */
  readonly name: string;
  /** The size of the run: objects synthesized, requirements registered, devices compiled. */
  readonly n: number;
  /** Median milliseconds through tailkube. */
  readonly ms: number;
  /** Median milliseconds for the baseline doing the same work (bare cdk8s `ApiObject`s), or null. */
  readonly baselineMs: number | null;
  /** `ms / baselineMs` (goal ≤ 1.2), or null. */
  readonly ratio: number | null;
}

/** The work of one row at one size: what is timed, and the baseline it is compared with. */
export interface BenchRun {
  /** The size reported in the row (objects, requirements, devices). */
  readonly n: number;
  /** The timed work through tailkube. */
  readonly run: () => unknown;
  /** The same work without tailkube, timed alternately with `run`. @default - no baseline */
  readonly baseline?: () => unknown;
}

/**
 * One kind of measurement. Each module under `cases/` exports `cases: BenchCase[]`; the runner
 * loads every module there, so a construct adds its rows without touching the runner.
 */
export interface BenchCase {
  /** The row name, such as `synth:connector` or `policy:compile`. */
  readonly name: string;
  /** Sets up the work for one size; the setup is not timed. */
  readonly prepare: (size: number) => BenchRun;
  /** Sizes to run. @default the runner's sizes (100, 1,000, 10,000) */
  readonly sizes?: readonly number[];
  /** Lines printed after the table, such as a footprint comparison. @default - none */
  readonly notes?: () => readonly string[];
}

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** @default [100, 1000, 10000] */
  readonly sizes?: readonly number[];
  /** Timed runs per size and side; the median is reported. @default 7 */
  readonly repetitions?: number;
  /** Untimed runs per size and side first. @default 2 */
  readonly warmup?: number;
  /** Only cases whose name starts with one of these. @default - every case */
  readonly only?: readonly string[];
  /** Where the rows are written, or false. @default '<repository root>/bench-results.json' */
  readonly out?: string | false;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

const RATIO_GOAL = 1.2;
const GROWTH_GOAL = 11;

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

/** Every case under `cases/`, in file then declaration order. */
export function loadCases(dir: string = path.join(__dirname, 'cases')): BenchCase[] {
  return (
    fs
      .readdirSync(dir)
      .filter((file) => /\.bench\.(js|ts)$/.test(file))
      .sort()
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the cases are found at run time
      .flatMap((file) => (require(path.join(dir, file)) as { cases: BenchCase[] }).cases)
  );
}

/**
 * Runs each case at each size in this process, tailkube and baseline alternately. Prints a table
 * and writes the rows to `bench-results.json`; asserts nothing.
 */
export function runBench(cases: readonly BenchCase[], options: BenchOptions = {}): BenchRow[] {
  const { sizes = [100, 1000, 10000], repetitions = 7, warmup = 2, log = console.log } = options;
  const selected = cases.filter((c) => !options.only || options.only.some((p) => c.name.startsWith(p)));
  const rows: BenchRow[] = [];
  for (const benchCase of selected) {
    for (const size of benchCase.sizes ?? sizes) {
      const { n, run, baseline } = benchCase.prepare(size);
      for (let i = 0; i < warmup; i++) {
        run();
        baseline?.();
      }
      const ours: number[] = [];
      const theirs: number[] = [];
      // Alternate, so drift in the machine's speed hits both sides alike.
      for (let i = 0; i < repetitions; i++) {
        ours.push(time(run));
        if (baseline) theirs.push(time(baseline));
      }
      const ms = median(ours);
      const baselineMs = baseline ? median(theirs) : null;
      rows.push({
        name: benchCase.name,
        n,
        ms: round(ms),
        baselineMs: baselineMs === null ? null : round(baselineMs),
        ratio: baselineMs === null ? null : round(ms / baselineMs),
      });
    }
  }
  for (const line of table(rows)) log(line);
  for (const benchCase of selected) for (const line of benchCase.notes?.() ?? []) log(line);
  const out = options.out ?? path.join(repositoryRoot(), 'bench-results.json');
  if (out !== false) {
    fs.writeFileSync(out, `${JSON.stringify(rows, null, 2)}\n`);
    log(`wrote ${path.relative(process.cwd(), out) || out}`);
  }
  return rows;
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

/** `node bench.js [prefix…]`: only the cases whose names start with a prefix. */
if (require.main === module) {
  const only = process.argv.slice(2);
  runBench(loadCases(), only.length > 0 ? { only } : {});
}
