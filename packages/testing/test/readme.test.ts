// The smallest test of packages/testing/README.md, kept here so the snippet compiles and passes.
import '@tailkube/testing/jest';
import { App, Chart } from 'cdk8s';
import { Connector, TailscaleOperator } from '@tailkube/cdk8s';
import { synthCdk8s } from '@tailkube/testing/cdk8s';

test('alice uses the office LAN, and nothing else', () => {
  const app = new App();
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  const office = new Connector(new Chart(app, 'platform'), 'office', {
    subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] },
    tags: ['tag:office'],
  });
  office.allow(['alice@example.com']);
  const result = synthCdk8s(app);
  expect(result).toAllow('alice@example.com', '10.20.0.10', 443);
  expect(result).toDeny('alice@example.com', office, 22);
  expect(result.requirements.operator?.scopes).toStrictEqual(['auth_keys', 'devices:core']);
});
