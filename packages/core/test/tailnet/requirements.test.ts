import { keyedRecord } from '../../src/tailnet/requirements';

describe('keyedRecord', () => {
  test('holds the entries in order, later ones replacing earlier, with no prototype', () => {
    const record = keyedRecord([
      ['10.0.0.0/8', ['tag:a']],
      ['svc:web', ['tag:b']],
      ['10.0.0.0/8', ['tag:c']],
    ]);
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(Object.entries(record)).toEqual([
      ['10.0.0.0/8', ['tag:c']],
      ['svc:web', ['tag:b']],
    ]);
  });

  test('a __proto__ or toString key is an entry like any other', () => {
    const record = keyedRecord([
      ['__proto__', 1],
      ['toString', 2],
    ]);
    expect(Object.keys(record)).toEqual(['__proto__', 'toString']);
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(({} as Record<string, unknown>)['toString']).toBe(Object.prototype.toString);
  });
});
