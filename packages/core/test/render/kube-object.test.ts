import { MANAGED_BY_LABELS } from '../../src/internal';

test('marks every object as managed by tailkube', () => {
  expect(MANAGED_BY_LABELS).toStrictEqual({ 'app.kubernetes.io/managed-by': 'tailkube' });
});
