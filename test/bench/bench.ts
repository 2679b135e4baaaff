import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a row's figure is. */
export type Unit = 'ratio' | 'growth' | 'ms' | 'queries/s';

/** The goal of a row: the figure must stay at or under `max`, or at or over `min`. */
export type Goal = { readonly max: number } | { readonly min: number };

/** One row of `bench-results.json`: one figure, its goal, and whether the run met it. */
export interface BenchRow {
  /** `<case> <figure>`, such as `synth:tailscale-ingress cluster ÷ bare`. */
  readonly name: string;
  /** The size the figure was measured at (Services, devices); for growth, the larger size. */
  readonly n: number;
  readonly value: number;
  readonly unit: Unit;
  /** The goal as a reader writes it, such as `≤ 1.2`. */
  readonly goal: string;
  readonly met: boolean;
  /** The medians the figure is computed from (CPU milliseconds, kilobytes), by side and phase. */
  readonly detail: Readonly<Record<string, number>>;
}

/** What a case is given: the sizes and repetitions of this run. */
export interface BenchContext {
  /** `--quick`: smaller sizes and fewer repetitions, for a check that the bench runs. */
  readonly quick: boolean;
  /** Timed runs per side; the median is reported. */
  readonly repetitions: number;
  readonly log: (line: string) => void;
}

/**
 * One kind of measurement. Each module under `cases/` exports `cases: BenchCase[]`; the runner
 * loads every module there, so a case adds its rows without touching the runner.
 */
export interface BenchCase {
  /** The case name, the prefix of its rows' names, such as `synth:tailscale-ingress`. */
  readonly name: string;
  readonly run: (context: BenchContext) => Promise<readonly BenchRow[]>;
}

/**
 * Records the CPU time of the phases of one run: `lap('construct')` closes the phase begun at the
 * previous lap (or at the start of the run).
 */
export type Lap = (phase: string) => void;

/** One side of a comparison: a program run, marking its phases with `lap`. */
export type Side = (lap: Lap) => unknown;

/** Median CPU milliseconds of each side, as `<side>` (the whole run) and `<side>.<phase>`. */
export type Medians = Readonly<Record<string, number>>;

/** CPU time of this process so far (user + system, every thread: the JIT and GC threads count). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs every side `repetitions` times, interleaved (A B C A B C …, so drift in the machine's speed
 * hits every side alike) after one untimed warm-up round, and returns the median CPU time of each
 * side and of each of its phases.
 */
export async function measure(sides: Readonly<Record<string, Side>>, repetitions: number): Promise<Medians> {
  const samples: Record<string, number[]> = {};
  for (let round = -1; round < repetitions; round++) {
    for (const [name, side] of Object.entries(sides)) {
      (globalThis as { gc?: () => void }).gc?.();
      const start = cpuMs();
      let last = start;
      const laps: [string, number][] = [];
      await side((phase) => {
        const now = cpuMs();
        laps.push([`${name}.${phase}`, now - last]);
        last = now;
      });
      laps.push([name, cpuMs() - start]);
      if (round < 0) continue;
      for (const [key, ms] of laps) (samples[key] ??= []).push(ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, round(median(values))]));
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** A row for `value` against `goal`. */
export function row(
  name: string,
  n: number,
  value: number,
  unit: Unit,
  goal: Goal,
  detail: Readonly<Record<string, number>> = {},
): BenchRow {
  const met = 'max' in goal ? value <= goal.max : value >= goal.min;
  const text = 'max' in goal ? `≤ ${goal.max}` : `≥ ${goal.min}`;
  return { name, n, value: round(value), unit, goal: text, met, detail };
}

/** Growth per 10× of size: the figure at the larger size over the figure at the smaller. */
export const GROWTH_GOAL: Goal = { max: 10 };

/**
 * The peak resident memory (kilobytes) of a fresh Node process running `program` of `module` at
 * size `n`: peak RSS only rises within a process, so each program runs alone.
 */
export function peakRssKb(module: string, program: string, n: number): number {
  const out = execFileSync(
    process.execPath,
    [path.join(__dirname, 'peak-rss.js'), module, program, String(n)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return Number(out.trim().split('\n').at(-1));
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

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** @default false */
  readonly quick?: boolean;
  /** Only cases whose name starts with one of these. @default - every case */
  readonly only?: readonly string[];
  /** Where the rows are written, or false. @default '<repository root>/bench-results.json' */
  readonly out?: string | false;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

/** Runs the cases in this process, prints a table and writes the rows; asserts nothing. */
export async function runBench(cases: readonly BenchCase[], options: BenchOptions = {}): Promise<BenchRow[]> {
  const { quick = false, log = console.log } = options;
  const context: BenchContext = { quick, repetitions: quick ? 3 : 5, log };
  const selected = cases.filter((c) => !options.only || options.only.some((p) => c.name.startsWith(p)));
  const rows: BenchRow[] = [];
  for (const benchCase of selected) {
    const caseRows = await benchCase.run(context);
    for (const line of table(caseRows)) log(line);
    rows.push(...caseRows);
  }
  log('');
  for (const line of table(rows)) log(line);
  const out =
    options.out ?? path.join(repositoryRoot(), quick ? 'bench-results.quick.json' : 'bench-results.json');
  if (out !== false) {
    fs.writeFileSync(out, `${JSON.stringify(rows, null, 2)}\n`);
    log(`wrote ${path.relative(process.cwd(), out) || out}`);
  }
  return rows;
}

function format(value: number, unit: Unit): string {
  if (unit === 'ms') return `${value.toFixed(0)} ms`;
  if (unit === 'queries/s') return `${Math.round(value).toLocaleString('en-US')}/s`;
  return `${value.toFixed(2)}×`;
}

function table(rows: readonly BenchRow[]): string[] {
  const header = ['figure', 'n', 'value', 'goal', 'met'];
  const cells = rows.map((r) => [
    r.name,
    String(r.n),
    format(r.value, r.unit),
    r.goal,
    r.met ? 'met' : 'NOT MET',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string =>
    c.map((x, i) => (i === 1 || i === 2 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

/** `node bench.js [--quick] [prefix…]`: only the cases whose names start with a prefix. */
if (require.main === module) {
  const args = process.argv.slice(2);
  const only = args.filter((arg) => arg !== '--quick');
  runBench(loadCases(), { quick: args.includes('--quick'), ...(only.length > 0 && { only }) }).catch(
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
