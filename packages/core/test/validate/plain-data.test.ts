import {
  checkedByRule,
  checkedProps,
  isValidationError,
  list,
  object,
  plainCopy,
  plainData,
  record,
  string,
} from '../../src/internal';

test('plainCopy copies maps without a prototype into plain objects, keeping own keys only', () => {
  const requests = Object.assign(Object.create(null) as Record<string, string>, { cpu: '100m' });
  const inherited = Object.assign(Object.create({ hidden: 'x' }) as Record<string, string>, { own: 'y' });
  const copy = plainCopy({ spec: { requests, list: [inherited] } });
  expect(Object.getPrototypeOf(copy.spec.requests)).toBe(Object.prototype);
  expect(copy).toStrictEqual({ spec: { requests: { cpu: '100m' }, list: [{ own: 'y' }] } });
});

describe('plainData', () => {
  test('returns plain data as it is, class instances inside included', () => {
    const when = new Date(0);
    const value = { metadata: { name: 'a', labels: { x: 'y' } }, spec: { list: [1, { when }], none: null } };
    expect(plainData(value)).toBe(value);
  });

  test.each([
    [
      'a map without a prototype',
      { spec: { requests: Object.assign(Object.create(null) as object, { cpu: '1' }) } },
    ],
    [
      'an object inheriting keys',
      { spec: [Object.assign(Object.create({ hidden: 'x' }) as object, { own: 'y' })] },
    ],
    // eslint-disable-next-line no-sparse-arrays
    ['a sparse array', { spec: { list: [1, , 3] } }],
    [
      'an array subclass',
      { spec: { list: Object.setPrototypeOf([1], class List extends Array {}.prototype) } },
    ],
  ])('copies data with %s, as plainCopy does', (_, value) => {
    const copy = plainData(value);
    expect(copy).not.toBe(value);
    expect(copy).toStrictEqual(plainCopy(value));
  });
});

describe('checkedProps', () => {
  const SHAPE = object({ name: string, tags: list(string), labels: record(string), when: checkedByRule });

  test('keeps a copy: changing the props afterwards changes nothing kept, class instances aside', () => {
    const when = new Date(0);
    const given = { name: 'a', tags: ['tag:a'], labels: { x: 'y' }, when };
    const kept = checkedProps("Thing 'p'", given, SHAPE);
    given.tags.push('tag:b');
    given.labels.x = 'z';
    expect(kept).toStrictEqual({ name: 'a', tags: ['tag:a'], labels: { x: 'y' }, when });
    expect(kept.when).toBe(when);
  });

  test('refuses props that fail the shape, naming the path and the field', () => {
    let error: unknown;
    try {
      checkedProps("Thing 'p'", { name: 1 }, SHAPE);
    } catch (caught) {
      error = caught;
    }
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ path: "Thing 'p'", field: 'name', value: 1 });
  });
});
