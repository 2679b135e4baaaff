// The first test of packages/testing/README.md, on the program of main.ts, with jest's global
// `expect` (typed by @types/jest).
import '@tailkube/testing/jest';
import { synthCdk8s } from '@tailkube/testing/cdk8s';
import { build } from './main';

test('alice uses the office LAN, and nothing else', () => {
  const result = synthCdk8s(build('dist'));
  expect(result).toAllow('alice@example.com', '10.20.0.10', 443);
  expect(result).toDeny('alice@example.com', 'tag:k8s-operator', 22);
  expect(result.objects).toContainObject({ kind: 'Connector', metadata: { name: 'office' } });
  expect(result.requirements.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core']);
});
