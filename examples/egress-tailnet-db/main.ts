import { App, Chart } from 'cdk8s';
import {
  DNSConfig,
  EgressService,
  ProxyGroup,
  Tailnet,
  TailscaleOperator,
  type EgressPort,
} from '@tailkube/cdk8s';

/** The tailnet policy the cluster joins; tailkube adds what the program needs. */
export const basePolicy = `{
  "groups": {
    "group:admins": ["alice@example.com"],
    "group:dba": ["bob@example.com"],
  },
  "tagOwners": {
    // Admins own the operator's tag; tailkube adds the proxies' tags under it.
    "tag:k8s-operator": ["group:admins"],
    // The database runs outside the cluster, on a VM the DBAs tag.
    "tag:db": ["group:dba"],
  },
}
`;

/** The database's MagicDNS name, and the address of its read replica. */
export const DATABASE_FQDN = 'postgres.example-tailnet.ts.net';
export const REPLICA_IP = '100.100.12.8';
/** Postgres's port, the only one the proxies may reach. */
const POSTGRES: readonly EgressPort[] = [{ port: 5432, name: 'postgres' }];

/**
 * Cluster workloads reaching a Postgres on the tailnet: a standalone egress proxy for the `apps`
 * namespace, and a highly available egress ProxyGroup carrying the database and its read replica
 * for `analytics`. Each Service's grant lets the proxies' tags reach exactly port 5432 on
 * `tag:db`. A DNSConfig serves the `ts.net` names in the cluster, so clients can verify the
 * database's TLS certificate by its MagicDNS name.
 */
export function buildApp(outdir: string): App {
  const app = new App({ outdir });
  new Tailnet(app, 'Tailnet', { basePolicy, allowAll: 'deny' });

  const operatorChart = new Chart(app, 'operator');
  new TailscaleOperator(operatorChart, 'tailscale');

  // Applied after the operator chart: the Service needs the operator, the rest its CRDs.
  const apps = new Chart(app, 'apps', { namespace: 'apps' });
  new EgressService(apps, 'postgres', {
    tailnetFqdn: DATABASE_FQDN,
    policyTarget: 'tag:db',
    ports: POSTGRES,
  });

  const analytics = new Chart(app, 'analytics', { namespace: 'analytics' });
  const egress = new ProxyGroup(analytics, 'db-egress', { type: 'egress', tags: ['tag:k8s-egress'] });
  new EgressService(analytics, 'postgres', {
    tailnetFqdn: DATABASE_FQDN,
    policyTarget: 'tag:db',
    ports: POSTGRES,
    proxyGroup: egress,
  });
  new EgressService(analytics, 'postgres-replica', {
    tailnetIp: REPLICA_IP,
    policyTarget: 'tag:db',
    ports: POSTGRES,
    proxyGroup: egress,
  });

  const dns = new Chart(app, 'dns');
  // A ClusterIP in the Service range, so the CoreDNS stub (k3s' `coredns-custom`) is known ahead.
  new DNSConfig(dns, 'ts-net', { clusterIP: '10.43.0.53', coreDnsStub: {} });

  return app;
}

if (require.main === module) {
  buildApp(process.env['TAILKUBE_OUTDIR'] ?? 'dist/manifests').synth();
}
