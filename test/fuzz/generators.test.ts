import fc from 'fast-check';
import { GENERATORS } from './arbitraries';
import { Ref } from './arbitraries/shared';
import { declaredPaths, exportedClasses, type Flavor } from './harness/declared-props';
import { CONSTRUCTS } from './harness/plan';

/**
 * The generators cover what the flavors declare, so a new construct or prop is fuzzed by default:
 * a class a flavor exports without a generator, or a props path (read from the TypeScript
 * declarations) no generator produces, fails here until its generator is added.
 */

/** Exported classes that are not constructs taking props, or are fuzzed otherwise, with why. */
const NOT_FUZZED: Readonly<Record<string, string>> = {
  OperatorKustomizations: 'cdk8s-only Flux Kustomizations over paths the user chooses; no Tailscale rule',
};

/** Paths a harness provides instead of a generator, with why. */
const HARNESS_PROVIDED: Readonly<Record<Flavor, Readonly<Record<string, string>>>> = {
  cdk8s: {},
  pulumi: { tailnet: 'every Pulumi run passes its Tailnet through tailnetProgram' },
};

/** The paths under a Ref that the flavor's harness passes (see harness/cdk8s.ts, harness/pulumi.ts). */
function refPaths(ref: Ref, flavor: Flavor): string[] {
  if (ref.kind !== 'service') return [];
  if (flavor === 'pulumi')
    return ['name', 'resource', ...(ref.options['namespace'] !== undefined ? ['namespace'] : [])];
  return ref.options['wrapped'] === true ? ['apiObject'] : [];
}

function generatedPaths(value: unknown, flavor: Flavor, at = '', out = new Set<string>()): Set<string> {
  if (value instanceof Ref) {
    for (const sub of refPaths(value, flavor)) out.add(`${at}.${sub}`);
    return out;
  }
  if (Array.isArray(value)) {
    for (const item of value) generatedPaths(item, flavor, `${at}[]`, out);
    return out;
  }
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return out;
  for (const [key, sub] of Object.entries(value)) {
    const child = at === '' ? key : `${at}.${key}`;
    out.add(child);
    generatedPaths(sub, flavor, child, out);
  }
  return out;
}

const NAMES = CONSTRUCTS as readonly string[];

describe.each(['cdk8s', 'pulumi'] as const)('%s', (flavor) => {
  test('every exported construct class has a generator', () => {
    const missing = exportedClasses(flavor, NAMES).filter(
      (name) => !NAMES.includes(name) && !(name in NOT_FUZZED),
    );
    expect(missing).toStrictEqual([]);
  });

  test.each(CONSTRUCTS)('every declared prop of %s is generated', (name) => {
    const generated = new Set<string>();
    for (const props of fc.sample(GENERATORS[name].plausible, { numRuns: 2_000, seed: 17 })) {
      for (const p of generatedPaths(props, flavor)) generated.add(p);
    }
    const declared = declaredPaths(flavor, name, NAMES);
    const missing = declared.filter((p) => !generated.has(p) && !(p in HARNESS_PROVIDED[flavor]));
    expect(missing).toStrictEqual([]);
  });
});

test.each(CONSTRUCTS)('the generator of %s sets no prop that neither flavor declares', (name) => {
  const declared = new Set([...declaredPaths('cdk8s', name, NAMES), ...declaredPaths('pulumi', name, NAMES)]);
  const stale = GENERATORS[name].keys.filter((key) => !declared.has(key));
  expect(stale).toStrictEqual([]);
});
