import { MANAGED_BY_LABELS, plainData } from '../../src/internal';

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
