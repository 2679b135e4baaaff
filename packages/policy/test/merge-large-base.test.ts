import { parseBasePolicy, renderPolicy, validatePolicy, type GeneratedEntry } from '../src';
import { largeBasePolicy } from './fixtures/large-policy';

const MB = 1024 * 1024;

const ENTRIES: readonly GeneratedEntry[] = [
  { kind: 'key', parent: ['tagOwners'], key: 'tag:k8s-operator', value: [], sources: ['Operator'] },
  { kind: 'key', parent: ['tagOwners'], key: 'tag:k8s', value: ['tag:k8s-operator'], sources: ['Operator'] },
  {
    kind: 'item',
    parent: ['grants'],
    value: { src: ['group:team1'], dst: ['tag:k8s'], ip: ['443'] },
    sources: ['Ingress'],
  },
];

/** The line comments of a HuJSON text, in order. */
const comments = (text: string): string[] => text.match(/\/\/[^\n]*/g) ?? [];

// How fast the merge is, and that it grows linearly, is the bench's (`policy:base` rows): a timed
// assertion here would fail on a busy machine and pass a slow merge on a fast one.
describe('merging a large base policy', () => {
  const text = largeBasePolicy(MB);

  test('the fixture is as large as asked and deterministic', () => {
    expect(text.length).toBeGreaterThanOrEqual(MB);
    expect(text.length).toBeLessThan(MB + 2048);
    expect(largeBasePolicy(MB)).toBe(text);
  });

  test("keeps every entry and comment of the base, adds the program's, and validates", () => {
    const base = parseBasePolicy("Tailnet 'app'", text);
    const rendered = renderPolicy(base, ENTRIES, { allowAll: 'deny' });

    expect(validatePolicy(rendered.document)).toStrictEqual({ ok: true });
    expect(rendered.added).toStrictEqual({ tagOwners: 2, grants: 1 });
    const { tagOwners, grants, ...rest } = rendered.document as Record<string, unknown>;
    const { tagOwners: baseOwners, grants: baseGrants, ...baseRest } = base.value;
    expect(rest).toStrictEqual(baseRest);
    expect(tagOwners).toStrictEqual({
      ...(baseOwners as object),
      'tag:k8s-operator': [],
      'tag:k8s': ['tag:k8s-operator'],
    });
    expect(grants).toStrictEqual([...(baseGrants as unknown[]), ENTRIES[2]!.value]);
    const own = new Set(comments(text));
    expect(comments(rendered.text).filter((line) => own.has(line))).toStrictEqual(comments(text));
  });
});
