/**
 * How much the suite fuzzes. Bounded so that `npm test` stays within minutes on two cores:
 * - `FUZZ_SEED`: the seed, an integer, or `random` for a new one each run. Default: fixed, so CI
 *   is reproducible; rotate it with the variable. Every failure prints its seed and path.
 * - `FUZZ_RUNS`: plans per cdk8s property (default 100); the Pulumi ones (whose mock runs take a
 *   few hundred milliseconds each) run a quarter of that.
 * - `FUZZ_TIME_LIMIT_MS`: how long a failing property may shrink its counterexample (default 4 s).
 *   Every plan of the seed is run and checked before, whatever the limit.
 */
const envSeed = process.env['FUZZ_SEED'];
export const SEED = envSeed === 'random' ? Math.floor(Math.random() * 0x7fffffff) : Number(envSeed ?? 17);
export const RUNS = Number(process.env['FUZZ_RUNS'] ?? 100);
export const PULUMI_RUNS = Math.max(1, Math.round(RUNS / 4));
export const TIME_LIMIT_MS = Number(process.env['FUZZ_TIME_LIMIT_MS'] ?? 4_000);
/** One program taking longer than this is a hang. */
export const HANG_MS = 5_000;
