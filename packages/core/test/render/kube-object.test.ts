import { MANAGED_BY_LABELS, asPlainData, plainData } from '../../src/internal';

test('marks every object as managed by tailkube', () => {
  expect(MANAGED_BY_LABELS).toStrictEqual({ 'app.kubernetes.io/managed-by': 'tailkube' });
});

test('plainData copies maps without a prototype into plain objects, keeping own keys only', () => {
  const requests = Object.assign(Object.create(null) as Record<string, string>, { cpu: '100m' });
  const inherited = Object.assign(Object.create({ hidden: 'x' }) as Record<string, string>, { own: 'y' });
  const copy = plainData({ spec: { requests, list: [inherited] } });
  expect(Object.getPrototypeOf(copy.spec.requests)).toBe(Object.prototype);
  expect(copy).toStrictEqual({ spec: { requests: { cpu: '100m' }, list: [{ own: 'y' }] } });
});

describe('asPlainData', () => {
  test('returns plain data as it is, class instances inside included', () => {
    const when = new Date(0);
    const object = { metadata: { name: 'a', labels: { x: 'y' } }, spec: { list: [1, { when }], none: null } };
    expect(asPlainData(object)).toBe(object);
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
  ])('copies data with %s, as plainData does', (_, object) => {
    const copy = asPlainData(object);
    expect(copy).not.toBe(object);
    expect(copy).toStrictEqual(plainData(object));
  });
});
