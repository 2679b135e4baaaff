import {
  ValidationError,
  checkEach,
  checkUnique,
  constructPath,
  namedList,
  validateProps,
  type Rule,
  type Violation,
} from '../../src/internal';

describe('validateProps', () => {
  interface Props {
    readonly a: number;
    readonly b: number;
  }
  const rules: Rule<Props>[] = [
    (p) => (p.a > 0 ? undefined : { field: 'a', value: p.a, allowed: 'positive' }),
    (p) => (p.b > 0 ? undefined : { field: 'b', value: p.b, allowed: 'positive', hint: 'try 1' }),
  ];

  test('passes props every rule accepts', () => {
    expect(() => validateProps("K 'p'", { a: 1, b: 1 }, rules)).not.toThrow();
  });

  test('fails when a rule finds a violation, with the first one as a ValidationError', () => {
    let caught: unknown;
    try {
      validateProps("K 'p'", { a: 0, b: 0 }, rules);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toMatchObject({ path: "K 'p'", field: 'a', value: 0, allowed: 'positive' });
    expect((caught as Error).message).toBe("K 'p': `a` must be positive, got 0");
  });

  test('passes the hint and the secret flag through', () => {
    expect(() => validateProps("K 'p'", { a: 1, b: -1 }, rules)).toThrow(
      "K 'p': `b` must be positive, got -1; try 1",
    );
    const secret: Rule<Props> = () => ({ field: 's', value: 'hunter2', allowed: 'absent', secret: true });
    expect(() => validateProps("K 'p'", { a: 1, b: 1 }, [secret])).toThrow(
      "K 'p': `s` must be absent, got <redacted>",
    );
  });
});

describe('checkEach', () => {
  const positive = (item: number, field: string): Violation | undefined =>
    item > 0 ? undefined : { field, value: item, allowed: 'positive' };

  test.each([
    [undefined, undefined],
    [[], undefined],
    [[1, 2], undefined],
    [[1, 0, -1], { field: 'items[1]', value: 0, allowed: 'positive' }],
  ])('checkEach(%j)', (items, expected) => {
    expect(checkEach('items', items, positive)).toStrictEqual(expected);
  });
});

describe('checkUnique', () => {
  test.each([
    [undefined, undefined],
    [['a', 'b'], undefined],
    [['a', 'b', 'a'], { field: 'tags[2]', value: 'a', allowed: 'listed once' }],
  ])('checkUnique(%j)', (items, expected) => {
    expect(checkUnique('tags', items)).toStrictEqual(expected);
  });
});

test("constructPath names a construct as Kind 'path'", () => {
  expect(constructPath('Connector', 'home/office')).toBe("Connector 'home/office'");
});

describe('namedList', () => {
  test('names up to the limit, then counts the rest', () => {
    expect(namedList([])).toBe('');
    expect(namedList(['a', 'b'])).toBe('a, b');
    expect(namedList(['a', 'b', 'c'], 3)).toBe('a, b, c');
    expect(namedList(['a', 'b', 'c', 'd'], 3)).toBe('a, b, c and 1 more');
  });
});
