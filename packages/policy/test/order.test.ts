import { compareStrings, sortedRecord } from '../src/order';

describe('compareStrings', () => {
  test('orders by UTF-16 code units, not by locale', () => {
    // Locale collation would put "a" before "B" and "é" before "f".
    expect(['b', 'a', 'B', 'é', 'f', 'A', '10', '9'].sort(compareStrings)).toStrictEqual([
      '10',
      '9',
      'A',
      'B',
      'a',
      'b',
      'f',
      'é',
    ]);
  });

  test.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['', 'a', -1],
  ])('compareStrings(%j, %j) is %d', (a, b, expected) => {
    expect(compareStrings(a, b)).toBe(expected);
  });
});

describe('sortedRecord', () => {
  test('returns a copy with sorted keys', () => {
    const record = { b: 1, a: 2, C: 3 };
    const sorted = sortedRecord(record);
    expect(Object.keys(sorted)).toStrictEqual(['C', 'a', 'b']);
    expect(sorted).toStrictEqual({ C: 3, a: 2, b: 1 });
    expect(Object.keys(record)).toStrictEqual(['b', 'a', 'C']);
  });
});
