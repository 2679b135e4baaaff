import fc from 'fast-check';
import type { Plan } from './plan';
import { CONCERNS, type CheckedOutcome, type Concern, type Outcome } from './outcome';
import { prototypeChanges, snapshotPrototypes } from './prototypes';
import { HANG_MS, SEED, TIME_LIMIT_MS } from './settings';

/** A flavor's harness: runs a plan, gives its outcome. */
export type Runner = (plan: Plan) => Outcome | Promise<Outcome>;

/** Runs `plan`, timing it (a run past {@link HANG_MS} is a hang) and watching the prototypes. */
async function runChecked(plan: Plan, run: Runner): Promise<CheckedOutcome> {
  const before = snapshotPrototypes();
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const logged: { where: string; text: string }[] = [];
  const restore = captureConsole(logged);
  let outcome: Outcome | undefined;
  try {
    outcome = await Promise.race([
      Promise.resolve(run(plan)),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), HANG_MS))),
    ]);
  } finally {
    clearTimeout(timer);
    restore();
  }
  const elapsedMs = Date.now() - start;
  const changes = prototypeChanges(before);
  if (outcome === undefined)
    return { objects: [], texts: logged, elapsedMs, hung: true, prototypeChanges: changes };
  return {
    ...outcome,
    texts: [...outcome.texts, ...logged],
    elapsedMs,
    ...(elapsedMs > HANG_MS && { hung: true }),
    prototypeChanges: changes,
  };
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Collects what the run prints (warnings included) into `into`, so that a secret in a warning is
 * caught and the test output stays readable; returns what restores the console.
 */
function captureConsole(into: { where: string; text: string }[]): () => void {
  const saved = CONSOLE_METHODS.map((method) => [method, console[method]] as const);
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) =>
      void into.push({ where: `console.${method}`, text: args.map(String).join(' ') });
  }
  return () => {
    for (const [method, fn] of saved) console[method] = fn;
  };
}

/**
 * The contract over the plans of `arbitrary`, run by `run`: each concern of {@link CONCERNS} is a
 * property of its own over the same plans (same seed), and a plan runs once whatever the number of
 * concerns checking it. `prefill` runs the `runs` plans first, without a time limit, so that every
 * concern sees all of them; the time limit then bounds only the shrinking of a failure.
 */
export class Fuzz {
  readonly #outcomes = new Map<string, Promise<CheckedOutcome>>();

  constructor(
    private readonly arbitrary: fc.Arbitrary<Plan>,
    private readonly run: Runner,
    private readonly runs: number,
  ) {}

  #outcome(plan: Plan): Promise<CheckedOutcome> {
    const key = fc.stringify(plan);
    let outcome = this.#outcomes.get(key);
    if (outcome === undefined) {
      outcome = runChecked(plan, this.run);
      this.#outcomes.set(key, outcome);
    }
    return outcome;
  }

  /** Runs the `runs` plans of the seed. */
  async prefill(): Promise<void> {
    const outcomes: CheckedOutcome[] = [];
    for (const plan of fc.sample(this.arbitrary, { seed: SEED, numRuns: this.runs })) {
      outcomes.push(await this.#outcome(plan));
    }
    this.synthesized = outcomes.filter((o) => !('error' in o)).length;
  }

  /** How many of the prefilled plans synthesized (the others failed). */
  synthesized = 0;

  /** Asserts one concern over the plans; prints the seed (and the variable that sets it) on failure. */
  async assert(concern: Concern): Promise<void> {
    const check = CONCERNS[concern];
    const property = fc.asyncProperty(this.arbitrary, async (plan) => {
      const breaches = check(await this.#outcome(plan));
      if (breaches.length > 0) throw new Error(breaches.join('\n'));
    });
    try {
      await fc.assert(property, {
        seed: SEED,
        numRuns: this.runs,
        interruptAfterTimeLimit: TIME_LIMIT_MS,
        markInterruptAsFailure: false,
      });
    } catch (error) {
      if (error instanceof Error) error.message = `FUZZ_SEED=${SEED}\n${error.message}`;
      throw error;
    }
  }
}
