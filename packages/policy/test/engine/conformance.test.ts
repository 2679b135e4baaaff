import { compareStrings } from '../../src/order';
import { validatePolicy } from '../../src/engine/validate';
import { CAPTURE_FILES, inputTopology, loadCaptures, type CaptureCase } from './captures';
import { ASPECTS, compareCase, type CaseResult } from './conformance';
import { KNOWN_DISAGREEMENTS } from './known-disagreements';

/**
 * Conformance with Tailscale's control plane, measured on the recorded captures.
 *
 * Set `TAILKUBE_CONFORMANCE_REPORT=1` to print the agreement per file and aspect.
 */
describe.each(CAPTURE_FILES)('conformance with the %s captures', (file) => {
  const cases: readonly CaptureCase[] = loadCaptures(file);
  let results: readonly CaseResult[] = [];

  beforeAll(() => {
    results = cases.map(compareCase);
    if (process.env.TAILKUBE_CONFORMANCE_REPORT === '1') {
      const figures = ASPECTS.map((aspect) => {
        const agreeing = results.filter((result) => result.disagreements[aspect] === undefined).length;
        return `${aspect} ${agreeing}/${results.length}`;
      });
      process.stdout.write(`${file}: ${figures.join(', ')}\n`);
    }
  });

  it('reads a non-empty capture file', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(ASPECTS)('disagrees on %s with exactly the known cases', (aspect) => {
    const disagreeing = results.filter((result) => result.disagreements[aspect] !== undefined);
    const known = KNOWN_DISAGREEMENTS[file]?.[aspect] ?? [];
    // The floor: agreement never falls below the recorded level.
    expect(cases.length - disagreeing.length).toBeGreaterThanOrEqual(cases.length - known.length);
    expect(disagreeing.map((result) => result.id).sort(compareStrings)).toEqual(
      [...known].sort(compareStrings),
    );
  });

  const rejected = cases.filter((capture) => capture.response.code === 400);
  if (rejected.length > 0) {
    it.each(rejected.map((capture) => [capture.id, capture] as const))(
      'rejects %s naming the same fault as the control plane',
      (_id, capture) => {
        const verdict = validatePolicy(capture.policy, inputTopology(capture));
        expect(verdict.ok).toBe(false);
        const messages = verdict.ok ? [] : verdict.errors.map((error) => error.message);
        expect(messages.some((message) => message.includes(capture.response.message ?? ''))).toBe(true);
      },
    );
  }
});
