import fc from 'fast-check';
import type { Plan } from './plan';
import { contractBreaches, type Outcome } from './outcome';
import { prototypeChanges, snapshotPrototypes } from './prototypes';
import { HANG_MS, SEED, TIME_LIMIT_MS } from './settings';

/** A flavor's harness: runs a plan, gives its outcome. */
export type Runner = (plan: Plan) => Outcome | Promise<Outcome>;

/**
 * The contract for one program, run by `run`: its outcome keeps the contract of
 * {@link contractBreaches}, it leaves the built-in prototypes alone, and it finishes within
 * {@link HANG_MS}. Throws an error listing every breach.
 */
export async function checkPlan(plan: Plan, run: Runner): Promise<void> {
  const before = snapshotPrototypes();
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    Promise.resolve(run(plan)),
    new Promise<undefined>((resolve) => (timer = setTimeout(resolve, HANG_MS))),
  ]);
  clearTimeout(timer);
  const elapsed = Date.now() - start;
  if (outcome === undefined) throw new Error(`did not finish in ${HANG_MS} ms (a hang)`);
  const breaches = [...contractBreaches(outcome), ...prototypeChanges(before)];
  if (elapsed > HANG_MS) breaches.push(`took ${elapsed} ms (a hang: more than ${HANG_MS} ms)`);
  if (breaches.length > 0) throw new Error(breaches.join('\n'));
}

/**
 * Asserts the contract over `arbitrary` for `runs` runs, or until the time limit (then fewer
 * runs, and shrinking stops early). A run the time limit interrupts is still awaited and checked,
 * so that the limit never hides a hang. Prints the seed (and the variable that sets it) on failure.
 */
export async function assertContract(arbitrary: fc.Arbitrary<Plan>, run: Runner, runs: number): Promise<void> {
  let inFlight: { plan: Plan; check: Promise<void> } | undefined;
  const property = fc.asyncProperty(arbitrary, async (plan) => {
    const check = checkPlan(plan, run);
    inFlight = { plan, check };
    await check;
    inFlight = undefined;
  });
  try {
    await fc.assert(property, {
      seed: SEED,
      numRuns: runs,
      interruptAfterTimeLimit: TIME_LIMIT_MS,
      markInterruptAsFailure: false,
    });
    const interrupted = inFlight as { plan: Plan; check: Promise<void> } | undefined;
    if (interrupted !== undefined) {
      await interrupted.check.catch((error: unknown) => {
        throw new Error(
          `the run the time limit interrupted breaks the contract: ${String(error)}\nplan: ${fc.stringify(interrupted.plan)}`,
        );
      });
    }
  } catch (error) {
    if (error instanceof Error) error.message = `FUZZ_SEED=${SEED}\n${error.message}`;
    throw error;
  }
}
