import * as fc from 'fast-check';
import { withFields } from '../../src/validate/with-fields';

/** Objects as props arrive: any keys, `__proto__` included (as `JSON.parse` makes it an own key). */
const record = fc
  .dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'name')), fc.jsonValue(), {
    maxKeys: 6,
  })
  .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);

describe('withFields', () => {
  test('is the spread { ...base, ...fields }: the same own keys, in the same order, the same values', () => {
    fc.assert(
      fc.property(record, record, (base, fields) => {
        const spread = { ...base, ...fields };
        const built = withFields(base, fields);
        expect(Reflect.ownKeys(built)).toStrictEqual(Reflect.ownKeys(spread));
        expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
        for (const key of Reflect.ownKeys(spread)) {
          expect(Object.getOwnPropertyDescriptor(built, key)).toStrictEqual(
            Object.getOwnPropertyDescriptor(spread, key),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  test('keeps an own `__proto__` key of the base as a key, never as the prototype', () => {
    const base = JSON.parse('{"__proto__": {"polluted": true}, "name": "web"}') as object;
    const built = withFields(base, { tags: ['tag:k8s'] });
    expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
    expect((built as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(built)).toStrictEqual(['__proto__', 'name', 'tags']);
  });

  test('leaves base and fields as they were', () => {
    const base = { name: 'web', tags: ['tag:a'] };
    const fields = { tags: ['tag:b'] };
    expect(withFields(base, fields)).toStrictEqual({ name: 'web', tags: ['tag:b'] });
    expect(base).toStrictEqual({ name: 'web', tags: ['tag:a'] });
    expect(fields).toStrictEqual({ tags: ['tag:b'] });
  });
});
