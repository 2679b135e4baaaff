import { App, Chart } from 'cdk8s';
import { TailscaleOperator } from '@tailkube/cdk8s';

const app = new App();
new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
app.synth(); // dist/operator.k8s.yaml, dist/tailnet-policy.hujson, dist/tailnet-requirements.json
