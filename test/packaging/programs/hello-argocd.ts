import { App, Chart } from 'cdk8s';
import { TailscaleOperator } from '@tailkube/cdk8s';

const app = new App();
new TailscaleOperator(new Chart(app, 'operator'), 'tailscale', { gitops: 'argocd' });
app.synth();
