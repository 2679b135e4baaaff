import fc from 'fast-check';
import {
  canConnect,
  canSsh,
  capabilitiesAt,
  deriveTopology,
  isValidationError,
  parseBasePolicy,
  parseHujson,
  renderPolicy,
  simulateTailnet,
  validatePolicy,
  type GeneratedEntry,
  type PolicyDocument,
  type RenderedPolicy,
  type Topology,
} from '../src';
import { canonical } from '../src/merge';

/**
 * Random and mutated policy documents: validation, simulation, evaluation and the merge give a
 * verdict for every one, never throw (the merge throws only a ValidationError), never touch
 * Object.prototype, and the merge keeps every byte (entries and comments) of the base.
 * Bounded: the whole suite runs in well under a minute.
 */
const RUNS = 400;

/** Alice's laptop, and a device of tag:a routing 10.0.0.0/8 and serving as an exit node. */
const TOPOLOGY: Topology = deriveTopology(
  { autoApprovers: { routes: { '10.0.0.0/8': ['tag:a'] }, exitNode: ['tag:a'] } },
  ['alice@example.com'],
);

/** Names that trip plain-object lookups, legacy spellings and the usual selectors. */
const NAME = fc.constantFrom(
  '*',
  'toString',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'alice@example.com',
  'group:a',
  'group:toString',
  'group:eng@example.com',
  'tag:a',
  'tag:__proto__',
  'autogroup:member',
  'autogroup:members',
  'autogroup:internet',
  'autogroup:self',
  'svc:web',
  'ipset:x',
  '10.0.0.0/8',
  '0.0.0.0/0',
  'fd7a:115c:a1e0::1',
  'db',
);
const SELECTOR = fc.oneof(
  NAME,
  fc.tuple(NAME, fc.constantFrom('*', '22', '80-443', 'x')).map(([name, ports]) => `${name}:${ports}`),
);
const SELECTORS = fc.array(SELECTOR, { maxLength: 3 });
const MAP = fc.dictionary(NAME, fc.oneof(SELECTORS, NAME), { maxKeys: 3 });
const loose = <T>(fields: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(fields, { requiredKeys: [] });

/** A policy of the right shape, loosely: sections, rules and names drawn from the lists above. */
const POLICY = loose({
  groups: MAP,
  hosts: fc.dictionary(NAME, NAME, { maxKeys: 3 }),
  tagOwners: MAP,
  ipsets: MAP,
  acls: fc.array(
    loose({
      action: fc.constantFrom('accept', 'deny'),
      src: SELECTORS,
      dst: SELECTORS,
      users: SELECTORS,
      ports: SELECTORS,
      proto: fc.constantFrom('tcp', 'udp', 'x'),
    }),
    { maxLength: 3 },
  ),
  grants: fc.array(
    loose({
      src: SELECTORS,
      dst: SELECTORS,
      ip: fc.array(fc.constantFrom('*', '22', 'tcp:443', 'icmp'), { maxLength: 2 }),
      via: SELECTORS,
      app: fc.dictionary(
        fc.constantFrom('example.com/cap/x', 'tailscale.com/cap/drive', 'constructor'),
        fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 1 }),
        { maxKeys: 1 },
      ),
    }),
    { maxLength: 3 },
  ),
  ssh: fc.array(
    loose({
      action: fc.constantFrom('accept', 'check'),
      src: SELECTORS,
      dst: SELECTORS,
      users: fc.array(fc.constantFrom('root', 'autogroup:nonroot', 'localpart:*@example.com'), {
        maxLength: 2,
      }),
      recorder: SELECTORS,
      enforceRecorder: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
  nodeAttrs: fc.array(
    loose({ target: SELECTORS, attr: fc.array(fc.constantFrom('funnel', 'x'), { maxLength: 2 }) }),
    { maxLength: 2 },
  ),
  autoApprovers: loose({ routes: MAP, exitNode: SELECTORS, services: MAP }),
  tests: fc.array(loose({ src: NAME, accept: SELECTORS, allow: SELECTORS, deny: SELECTORS }), {
    maxLength: 2,
  }),
  sshTests: fc.array(
    loose({
      src: NAME,
      dst: SELECTORS,
      accept: fc.array(fc.constantFrom('root', 'alice'), { maxLength: 1 }),
    }),
    { maxLength: 1 },
  ),
});

/** Every path to a node of a JSON value. */
function paths(value: unknown, path: readonly (string | number)[] = []): (string | number)[][] {
  const children = Array.isArray(value)
    ? value.map((item: unknown, index) => paths(item, [...path, index]))
    : typeof value === 'object' && value !== null
      ? Object.entries(value).map(([key, item]) => paths(item, [...path, key]))
      : [];
  return [[...path], ...children.flat()];
}

/** The value with one node replaced by a random one, or its top-level keys in other cases. */
function mutated(value: object): fc.Arbitrary<unknown> {
  const replaced = fc
    .tuple(fc.constantFrom(...paths(value)), fc.jsonValue({ maxDepth: 2 }))
    .map(([path, replacement]) => {
      if (path.length === 0) return replacement;
      const copy = structuredClone(value) as Record<string | number, unknown>;
      let node = copy;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      node[path.at(-1)!] = replacement;
      return copy;
    });
  const entries = Object.entries(value);
  const recased = fc
    .tuple(
      ...entries.map(([key]) =>
        fc.constantFrom(key, key.toUpperCase(), `${key[0]!.toUpperCase()}${key.slice(1)}`),
      ),
    )
    .map((keys) => Object.fromEntries(keys.map((key, index) => [key, entries[index]![1]])));
  return entries.length === 0 ? replaced : fc.oneof(replaced, recased);
}

const DOCUMENTS: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  POLICY,
  POLICY.chain(mutated),
);

/** Whether every character of `part` appears in `whole`, in order: only insertions were made. */
function isSubsequence(part: string, whole: string): boolean {
  let at = 0;
  for (const char of part) {
    at = whole.indexOf(char, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

function unpolluted(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toStrictEqual(PROTOTYPE_KEYS);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

describe('fuzzing the policy engine', () => {
  afterEach(unpolluted);

  test('validatePolicy gives every document a verdict, faults naming a path', () => {
    fc.assert(
      fc.property(DOCUMENTS, (document) => {
        const verdict = validatePolicy(document, TOPOLOGY);
        if (!verdict.ok) for (const fault of verdict.errors) expect(typeof fault.path).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });

  test('simulateTailnet simulates or rejects every document', () => {
    fc.assert(
      fc.property(DOCUMENTS, (document) => {
        const simulation = simulateTailnet(document, TOPOLOGY);
        expect(simulation.accepted).toBe(validatePolicy(document, TOPOLOGY).ok);
      }),
      { numRuns: RUNS },
    );
  });

  test('the evaluator answers every question on every document', () => {
    fc.assert(
      fc.property(DOCUMENTS, NAME, NAME, (document, from, to) => {
        const policy = document as PolicyDocument;
        expect(typeof canConnect(policy, TOPOLOGY, { from, to, port: 22 }).allowed).toBe('boolean');
        expect(typeof canConnect(policy, undefined, { from, to, port: 443 }).allowed).toBe('boolean');
        expect(typeof capabilitiesAt(policy, TOPOLOGY, { from, to }).explanation).toBe('string');
        expect(typeof canSsh(policy, TOPOLOGY, { from, to, user: 'root' }).allowed).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzzing the merge', () => {
  afterEach(unpolluted);

  const ENTRIES: fc.Arbitrary<GeneratedEntry[]> = fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant('key' as const),
        parent: fc.constantFrom(['tagOwners'], ['autoApprovers', 'routes'], ['autoApprovers']),
        key: NAME,
        value: fc.array(NAME, { maxLength: 2 }),
        sources: fc.constant(["Construct 'app/x'"]),
      }),
      fc.record({
        kind: fc.constant('item' as const),
        parent: fc.constantFrom(['grants'], ['nodeAttrs'], ['tests']),
        value: fc.record({ src: SELECTORS, dst: SELECTORS }),
        sources: fc.constant(["Construct 'app/y'"]),
      }),
    ),
    { maxLength: 4 },
  );

  /** A base: a document as HuJSON, with a comment after each line, LF or CRLF, tabs or spaces. */
  const BASES = fc
    .tuple(DOCUMENTS, fc.constantFrom('\n', '\r\n'), fc.constantFrom(0, 2, '\t'))
    .map(([document, eol, indent]) =>
      (JSON.stringify(document, null, indent) ?? 'null')
        .split('\n')
        .map((line, index) => `${line} // c${index}`)
        .join(eol)
        .concat(eol),
    );

  test('keeps every byte of the base and returns what its text says, or refuses with a ValidationError', () => {
    fc.assert(
      fc.property(
        BASES,
        ENTRIES,
        fc.constantFrom('keep' as const, 'deny' as const),
        (base, entries, allowAll) => {
          let rendered: RenderedPolicy;
          try {
            rendered = renderPolicy(parseBasePolicy("Tailnet 'app'", base), entries, { allowAll });
          } catch (error) {
            expect(isValidationError(error)).toBe(true);
            return;
          }
          const reread = parseHujson(rendered.text);
          expect(reread.ok && canonical(reread.value)).toBe(canonical(rendered.document));
          expect(isSubsequence(base, rendered.text)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
