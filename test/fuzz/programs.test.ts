import { programPlan } from './arbitraries';
import { runCdk8s } from './harness/cdk8s';
import { CONCERNS, type Concern } from './harness/outcome';
import { Fuzz } from './harness/property';
import { runPulumi } from './harness/pulumi';
import { PULUMI_RUNS, RUNS, TIME_LIMIT_MS } from './harness/settings';

/**
 * Whole random programs (an operator and two to six constructs of any kind, whose names collide
 * often) keep the contract of one construct; in particular they never emit two objects with one
 * identity (group, kind, namespace, name), which would silently replace one another at apply.
 */
const CONCERN_NAMES = Object.keys(CONCERNS) as Concern[];
const FLAVORS = [
  ['cdk8s', runCdk8s, RUNS],
  ['Pulumi', runPulumi, PULUMI_RUNS],
] as const;

describe.each(FLAVORS)('random programs, %s', (_, run, runs) => {
  const fuzz = new Fuzz(programPlan, run, runs);
  beforeAll(() => fuzz.prefill(), 180_000);

  // The properties are only worth something if some plans get past validation.
  test('some plans synthesize', () => expect(fuzz.synthesized).toBeGreaterThan(0));

  test.each(CONCERN_NAMES)('%s', (concern) => fuzz.assert(concern), TIME_LIMIT_MS + 60_000);
});
