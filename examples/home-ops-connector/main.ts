import { App, Chart } from 'cdk8s';
import { ApiServerProxy, Connector, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';

/** The tailnet policy the cluster joins; tailkube adds what the program needs. */
export const basePolicy = `{
  "groups": {
    "group:admins": ["alice@example.com"],
    "group:family": ["alice@example.com", "bob@example.com"],
  },
  "tagOwners": {
    // Admins own the operator's tag; tailkube adds the Connector's tag under it.
    "tag:k8s-operator": ["group:admins"],
  },
}
`;

/**
 * The whole home-ops cluster: the operator in a chart of its own, running the API server proxy in
 * its process; a Connector that makes the pod, service and home LAN ranges reachable from the
 * tailnet and acts as an exit node, with its routes and exit node approved without a click, and the
 * family allowed to use them; and `kubectl` over the tailnet, admins as cluster admins and the
 * family read-only.
 */
export function buildApp(outdir: string): App {
  const app = new App({ outdir });
  new Tailnet(app, 'Tailnet', { basePolicy, allowAll: 'deny' });

  const operatorChart = new Chart(app, 'operator');
  // Shared with envoy, as in the seed: labelled privileged only because the Connector needs it.
  const operator = new TailscaleOperator(operatorChart, 'tailscale', {
    namespace: 'networking',
    namespaceMode: 'shared',
  });

  // Applied after the operator chart: the Connector CRD comes with it.
  const connectorChart = new Chart(app, 'connector');
  const connector = new Connector(connectorChart, 'home-ops', {
    subnetRouter: { advertiseRoutes: ['10.244.0.0/16', '10.96.0.0/12', '192.168.0.0/24'] },
    exitNode: true,
    tags: ['tag:home-ops'],
  });
  connector.allow(['group:family']);

  // kubectl over the tailnet, through the operator's own device: RBAC decides what each group may.
  const access = new Chart(app, 'access');
  const kubectl = new ApiServerProxy(access, 'kubectl', { operator });
  kubectl.grantAccess(['group:admins'], { groups: ['home-admins'], clusterRole: 'cluster-admin' });
  kubectl.grantAccess(['group:family'], { groups: ['home-readers'], clusterRole: 'view' });

  return app;
}

if (require.main === module) {
  buildApp(process.env['TAILKUBE_OUTDIR'] ?? 'dist/manifests').synth();
}
