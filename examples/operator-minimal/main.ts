import { App, Chart, YamlOutputType } from 'cdk8s';
import { OperatorKustomizations, TailscaleOperator } from '@tailkube/cdk8s';

/**
 * The operator in a chart of its own, installed by Flux from the official Helm chart, and the two
 * Flux Kustomizations that apply it before anything that needs its CRDs. Each chart is written to
 * a folder of its own, which is what a Flux Kustomization's `path` names.
 */
export function buildApp(outdir: string): App {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });

  const operatorChart = new Chart(app, 'operator');
  new TailscaleOperator(operatorChart, 'tailscale', {
    // Proxies the operator creates carry these tags; the operator's own tag owns them.
    defaultProxyTags: ['tag:k8s', 'tag:homelab'],
  });

  const fluxChart = new Chart(app, 'flux');
  new OperatorKustomizations(fluxChart, 'tailscale-sync', {
    sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    operatorPath: './dist/manifests/operator',
    // Connectors, ProxyClasses and other tailscale.com resources go in a chart of this name.
    resourcesPath: './dist/manifests/tailscale-resources',
  });

  return app;
}

if (require.main === module) {
  buildApp(process.env['TAILKUBE_OUTDIR'] ?? 'dist/manifests').synth();
}
