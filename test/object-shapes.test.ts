import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * V8 gives the hidden class of `{}` one transition per distinct first property name, and keeps at
 * most 1,536. Past that, every object of the process given a property name new to that class is
 * given a hidden class of its own, the YAML writer's included: a synth of 10,000 Services on a
 * ProxyGroup, each adding `{ ['svc:<name>']: tags }`, spent three times as long writing YAML and
 * peaked 130 MB higher. So no construct builds an object keyed by a name of its own from `{}`.
 *
 * Run in a child process over the built packages (`npm test` builds first), where V8 describes the
 * empty object's hidden class, its transitions counted.
 */
const root = path.resolve(__dirname, '..');

const PROGRAM = `
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { App, ApiObject, Chart } = require('cdk8s');
const tk = require('@tailkube/cdk8s');
const n = 2000;
const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-shapes-')) });
new tk.TailscaleOperator(new Chart(app, 'operator'), 'Operator');
const chart = new Chart(app, 'apps', { namespace: 'apps' });
const ingress = new tk.ProxyGroup(chart, 'ingress', { type: 'ingress' });
for (let i = 0; i < n; i++) {
  const service = new ApiObject(chart, 'Service' + i, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web-' + i },
    spec: { selector: { app: 'web-' + i }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  new tk.TailscaleService(chart, 'svc-' + i, { service, proxyGroup: ingress }).allow(['alice@example.com']);
  new tk.TailscaleIngress(chart, 'ing-' + i, {
    hostname: 'ing-' + i,
    proxyGroup: ingress,
    defaultBackend: { serviceName: 'web-' + i, port: 80 },
  }).allow(['alice@example.com']);
  new tk.Connector(chart, 'router-' + i, {
    subnetRouter: { advertiseRoutes: ['10.' + (i >> 8) + '.' + (i & 255) + '.0/24'] },
  }).allow(['alice@example.com']);
}
app.synth();
fs.rmSync(app.outdir, { recursive: true });
%DebugPrint({});
`;

test('a program of thousands of constructs gives the empty object few hidden-class transitions', () => {
  const printed = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', PROGRAM], {
    cwd: root,
    encoding: 'utf8',
  });
  // V8's description of the object: its map's transitions are listed as "transitions #<count>".
  const transitions = Number(/transitions #(\d+)/.exec(printed)?.[1] ?? 0);
  // A few hundred property names start objects in a whole synth; one per construct would be 6,000.
  expect(transitions).toBeLessThan(1000);
}, 120_000);
