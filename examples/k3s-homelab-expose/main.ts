import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import {
  FunnelIngress,
  OperatorKustomizations,
  ProxyClass,
  TailscaleIngress,
  TailscaleOperator,
  TailscaleService,
  Tailnet,
} from '@tailkube/cdk8s';

/** The tailnet policy the homelab joins; tailkube adds what the cluster needs. */
export const basePolicy = `{
  "groups": {
    "group:admins": ["alice@example.com"],
    "group:family": ["alice@example.com", "bob@example.com"],
  },
  "tagOwners": {
    // Admins own the operator's tag; tailkube adds every proxy tag under it.
    "tag:k8s-operator": ["group:admins"],
  },
}
`;

/**
 * A k3s homelab on Flux exposing four services, each with its tailnet half: Home Assistant by
 * annotating its ClusterIP Service, Jellyfin through a companion `LoadBalancer` Service, a dashboard
 * through a tailnet-only Ingress, and a public app through a Funnel Ingress. Each chart goes to a
 * folder of its own, which a Flux Kustomization's `path` names.
 */
export function buildApp(outdir: string): App {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
  new Tailnet(app, 'Tailnet', { basePolicy, allowAll: 'deny' });

  const operatorChart = new Chart(app, 'operator');
  new TailscaleOperator(operatorChart, 'tailscale');

  // Applied after the operator (Flux waits for it): the ProxyClass CRD comes with its chart.
  const resources = new Chart(app, 'tailscale-resources');
  const prod = new ProxyClass(resources, 'prod', {
    statefulSet: {
      pod: {
        tailscaleContainer: {
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
        },
      },
    },
  });
  // Funnel proxies run on the node that faces the internet; nothing else schedules there.
  const funnel = new ProxyClass(resources, 'funnel', {
    statefulSet: {
      pod: {
        nodeSelector: { 'homelab/edge': 'true' },
        tolerations: [{ key: 'homelab/edge', operator: 'Exists', effect: 'NoSchedule' }],
      },
    },
  });

  const apps = new Chart(app, 'apps', { namespace: 'homelab' });
  const homeAssistant = new ApiObject(apps, 'home-assistant', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'home-assistant' },
    spec: { selector: { app: 'home-assistant' }, ports: [{ name: 'http', port: 8123 }] },
  });
  // L3, annotated: the operator exposes the Service itself as `home-assistant` on the tailnet.
  new TailscaleService(apps, 'home-assistant-tailnet', {
    service: homeAssistant,
    hostname: 'home-assistant',
    proxyClass: prod,
  }).allow(['group:family']);

  const jellyfin = new ApiObject(apps, 'jellyfin', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'jellyfin' },
    spec: { selector: { app: 'jellyfin' }, ports: [{ name: 'http', port: 8096 }] },
  });
  // L3, LoadBalancer: a companion Service of class `tailscale` selecting Jellyfin's pods.
  new TailscaleService(apps, 'jellyfin-tailnet', {
    service: jellyfin,
    mechanism: 'load-balancer',
    hostname: 'jellyfin',
    proxyClass: prod,
  }).allow(['group:family']);

  // L7, tailnet only: https://my-dashboard.<tailnet>.ts.net in front of the dashboard's port 3000.
  // A tag of its own, so the admins' grant reaches this proxy and not the family's services.
  new TailscaleIngress(apps, 'my-dashboard', {
    hostname: 'my-dashboard',
    defaultBackend: { serviceName: 'dashboard', port: 3000 },
    tags: ['tag:homelab-admin'],
    proxyClass: prod,
  }).allow(['group:admins']);

  // L7, public: anyone on the internet reaches https://my-public-app.<tailnet>.ts.net.
  new FunnelIngress(apps, 'my-public-app', {
    public: true,
    hostname: 'my-public-app',
    defaultBackend: { serviceName: 'public-app', port: 8080 },
    proxyClass: funnel,
  });

  const flux = new Chart(app, 'flux');
  new OperatorKustomizations(flux, 'tailscale-sync', {
    sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    operatorPath: './dist/manifests/operator',
    resourcesPath: './dist/manifests/tailscale-resources',
  });

  return app;
}

if (require.main === module) {
  buildApp(process.env['TAILKUBE_OUTDIR'] ?? 'dist/manifests').synth();
}
