import { Chart, Testing, type App } from 'cdk8s';
import { Construct } from 'constructs';
import { constructPath, type Grant } from '@tailkube/core/internal';
import {
  ApiServerProxy,
  Connector,
  ProxyGroup,
  Recorder,
  Tailnet,
  TailscaleIngress,
  TailscaleOperator,
} from '@tailkube/cdk8s';

/**
 * The base policy of the test programs: two groups, engineers reaching the proxies on 443 and SREs
 * getting the Kubernetes capability at the operator (as an API server proxy grant reads).
 */
export const BASE_POLICY = `{
  "groups": {
    "group:eng": ["bob@example.com"],
    "group:family": ["alice@example.com"],
    "group:sre": ["carol@example.com"],
  },
  "grants": [
    { "src": ["group:eng"], "dst": ["tag:k8s"], "ip": ["tcp:443"] },
    {
      "src": ["group:sre"],
      "dst": ["tag:k8s-operator"],
      "ip": ["tcp:443"],
      "app": { "tailscale.com/cap/kubernetes": [{ "impersonate": { "groups": ["system:masters"] } }] },
    },
  ],
}`;

/** The pieces of the home program the tests point at. */
export interface HomeProgram {
  readonly app: App;
  readonly operator: TailscaleOperator;
  readonly office: Connector;
  readonly platform: Chart;
}

/** An operator and a subnet-router Connector the family may use, in two charts. */
export function homeProgram(): HomeProgram {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: BASE_POLICY });
  const operator = new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  const platform = new Chart(app, 'platform');
  const office = new Connector(platform, 'office', {
    subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] },
    tags: ['tag:office'],
  });
  office.allow(['group:family']);
  return { app, operator, office, platform };
}

/**
 * A stand-in for a construct serving a Tailscale Service (as a TailscaleService on a ProxyGroup
 * does): it registers the way every tailkube construct does, under `Kind 'path'`, with the service
 * auto-approved for the hosts' tag and a grant for who may reach it.
 */
export class WebService extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { readonly service: string; readonly grants: readonly Grant[] },
  ) {
    const source = constructPath('WebService', scope.node.path ? `${scope.node.path}/${id}` : id);
    Tailnet.of(scope).register({
      source,
      autoApprovers: { services: { [props.service]: ['tag:k8s'] } },
      grants: props.grants,
      oauthScopes: ['services'],
    });
    super(scope, id);
  }
}

/** The pieces of the API server proxy program the tests point at. */
export interface ApiServerProgram {
  readonly app: App;
  readonly proxies: ProxyGroup<'kube-apiserver'>;
  readonly recorder: Recorder;
  readonly kubectl: ApiServerProxy;
  readonly dashboard: TailscaleIngress;
}

/**
 * An API server proxy served by a kube-apiserver ProxyGroup behind `svc:k8s-api`, whose sessions go
 * to a recorder, and a dashboard served as `svc:dashboard` by an ingress ProxyGroup.
 */
export function apiServerProgram(): ApiServerProgram {
  const app = Testing.app();
  new Tailnet(app, 'Tailnet', { allowAll: 'deny', basePolicy: BASE_POLICY });
  const operator = new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  const access = new Chart(app, 'access', { namespace: 'access' });
  const proxies = new ProxyGroup(access, 'k8s-api', {
    type: 'kube-apiserver',
    replicas: 2,
    tags: ['tag:k8s-api'],
    kubeAPIServer: { mode: 'auth' },
  });
  const recorder = new Recorder(access, 'recorder', { enableUI: true });
  const kubectl = new ApiServerProxy(access, 'kubectl', { operator, proxyGroup: proxies });
  kubectl.grantAccess(['group:sre'], {
    groups: ['sre'],
    clusterRole: 'edit',
    recorder,
    enforceRecorder: true,
  });
  const ingress = new ProxyGroup(access, 'ingress', { type: 'ingress', tags: ['tag:ingress'] });
  const dashboard = new TailscaleIngress(access, 'dashboard', {
    hostname: 'dashboard',
    defaultBackend: { serviceName: 'dashboard', port: 3000 },
    proxyGroup: ingress,
  });
  dashboard.allow(['group:eng']);
  return { app, proxies, recorder, kubectl, dashboard };
}
