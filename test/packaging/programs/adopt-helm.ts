import * as fs from 'node:fs';
import { App, Chart } from 'cdk8s';
import { OperatorCredentials, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';

const app = new App();
// The live policy, pulled by `tailkube pull`: its entries and comments are kept.
new Tailnet(app, 'Tailnet', { basePolicy: fs.readFileSync('tailnet-base.hujson', 'utf8') });
// The release `helm install tailscale-operator tailscale/tailscale-operator -n tailscale` made,
// with the values it was installed with.
new TailscaleOperator(new Chart(app, 'operator'), 'tailscale', {
  namespace: 'tailscale',
  hostname: 'tailscale-operator',
  tags: ['tag:k8s-operator'],
  defaultProxyTags: ['tag:k8s'],
  credentials: OperatorCredentials.fromSecret('operator-oauth'),
});
app.synth();
