import { App, Chart } from 'cdk8s';
import { ApiServerProxy, ProxyGroup, Recorder, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';

/** The tailnet policy the cluster joins; tailkube adds what the program needs. */
export const basePolicy = `{
  "groups": {
    "group:sre": ["alice@example.com", "bob@example.com"],
  },
  "tagOwners": {
    // SREs own the operator's tag; tailkube adds the proxies' and the recorder's tags under it.
    "tag:k8s-operator": ["group:sre"],
  },
}
`;

/**
 * A highly available API server proxy: a `kube-apiserver` ProxyGroup of two proxies behind the
 * Tailscale Service `svc:k8s-api`, and a Recorder that every SRE `kubectl exec` session must
 * reach (`enforceRecorder`), with recordings in S3 (credentials by Secret reference).
 */
export function buildApp(outdir: string): { app: App; proxy: ApiServerProxy } {
  const app = new App({ outdir });
  new Tailnet(app, 'Tailnet', { basePolicy, allowAll: 'deny' });

  const operator = new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');

  // Applied after the operator chart: the ProxyGroup and Recorder CRDs come with it.
  const access = new Chart(app, 'access');
  const group = new ProxyGroup(access, 'k8s-api', {
    type: 'kube-apiserver',
    replicas: 2,
    tags: ['tag:k8s-api'],
    kubeAPIServer: { mode: 'auth' },
  });
  const recorder = new Recorder(access, 'recorder', {
    enableUI: true,
    storage: {
      s3: {
        endpoint: 's3.eu-west-1.amazonaws.com',
        bucket: 'k8s-session-recordings',
        credentialsSecret: { name: 'recorder-s3' },
      },
    },
  });
  const proxy = new ApiServerProxy(access, 'kubectl', { operator, proxyGroup: group });
  proxy.grantAccess(['group:sre'], { groups: ['sre'], clusterRole: 'edit', recorder, enforceRecorder: true });

  return { app, proxy };
}

if (require.main === module) {
  const { app, proxy } = buildApp(process.env['TAILKUBE_OUTDIR'] ?? 'dist/manifests');
  app.synth();
  console.log(`kubectl access: ${proxy.kubeconfigCommand}`);
}
