import { singleConstructPlan } from './arbitraries';
import { runCdk8s } from './harness/cdk8s';
import { CONCERNS, type Concern } from './harness/outcome';
import { CONSTRUCTS } from './harness/plan';
import { Fuzz } from './harness/property';
import { runPulumi } from './harness/pulumi';
import { PULUMI_RUNS, RUNS, TIME_LIMIT_MS } from './harness/settings';

/**
 * For every construct, in both flavors, random props (valid, near-valid, wrong types, odd strings,
 * secrets in the wrong place, own `__proto__` keys) give either a complete ValidationError, or
 * objects that pass their CRD schema with its CEL rules (or the Kubernetes schema) and the API
 * server's create-time rules, with distinct identities; never a raw error, a secret echoed, a
 * hang, or a change to the built-in prototypes. One test per concern (harness/outcome.ts), so
 * each breach gets its own counterexample.
 */
const CONCERN_NAMES = Object.keys(CONCERNS) as Concern[];
const FLAVORS = [
  ['cdk8s', runCdk8s, RUNS],
  ['Pulumi', runPulumi, PULUMI_RUNS],
] as const;

describe.each(CONSTRUCTS)('%s under random props', (construct) => {
  describe.each(FLAVORS)('%s', (_, run, runs) => {
    const fuzz = new Fuzz(singleConstructPlan(construct), run, runs);
    // Every plan of the seed runs here, once: the tests below check them, then shrink a failure.
    beforeAll(() => fuzz.prefill(), 120_000);

    // The properties are only worth something if some plans get past validation.
    test('some plans synthesize', () => expect(fuzz.synthesized).toBeGreaterThan(0));

    test.each(CONCERN_NAMES)('%s', (concern) => fuzz.assert(concern), TIME_LIMIT_MS + 60_000);
  });
});
