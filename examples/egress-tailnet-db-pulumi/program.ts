import { DNSConfig, EgressService, ProxyGroup, TailscaleOperator, type EgressPort } from '@tailkube/pulumi';

/** The tailnet policy the program starts from; tailkube adds what the cluster needs. */
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

/** The tailnet this program renders into: the base above, which has no rules yet, made deny-by-default. */
export const tailnetArgs = { basePolicy, allowAll: 'deny' } as const;

/** The database's MagicDNS name, and the address of its read replica. */
const DATABASE_FQDN = 'postgres.example-tailnet.ts.net';
const REPLICA_IP = '100.100.12.8';
/** Postgres's port, the only one the proxies may reach. */
const POSTGRES: readonly EgressPort[] = [{ port: 5432, name: 'postgres' }];

/** What the program creates that tests point at, and what the stack exports. */
export interface EgressTailnetDb {
  /** The operator, which reaches no database itself. */
  readonly operator: TailscaleOperator;
  /** `apps/postgres`, served by a proxy of its own. */
  readonly standalone: EgressService;
  /** The egress ProxyGroup `db-egress`, which carries the `analytics` Services. */
  readonly egress: ProxyGroup;
  /** `analytics/postgres`, the database by FQDN, on the ProxyGroup. */
  readonly primary: EgressService;
  /** `analytics/postgres-replica`, the read replica by tailnet IP, on the ProxyGroup. */
  readonly replica: EgressService;
  /** What the stack exports: the names workloads connect to. */
  readonly outputs: { readonly dnsNames: readonly string[] };
}

/**
 * The [egress-tailnet-db](../egress-tailnet-db) scenario with Pulumi: a standalone egress proxy
 * for `apps`, an egress ProxyGroup carrying the database and its replica for `analytics`, and a
 * DNSConfig for the `ts.net` names. Runs inside `tailnetProgram`, which seals the tailnet when it
 * returns.
 */
export async function program(): Promise<EgressTailnetDb> {
  const operator = new TailscaleOperator('operator');
  const standalone = new EgressService('postgres', {
    namespace: 'apps',
    tailnetFqdn: DATABASE_FQDN,
    policyTarget: 'tag:db',
    ports: POSTGRES,
  });
  const egress = new ProxyGroup('db-egress', { type: 'egress', tags: ['tag:k8s-egress'] });
  const primary = new EgressService('analytics-postgres', {
    name: 'postgres',
    namespace: 'analytics',
    tailnetFqdn: DATABASE_FQDN,
    policyTarget: 'tag:db',
    ports: POSTGRES,
    proxyGroup: egress,
  });
  const replica = new EgressService('analytics-postgres-replica', {
    name: 'postgres-replica',
    namespace: 'analytics',
    tailnetIp: REPLICA_IP,
    policyTarget: 'tag:db',
    ports: POSTGRES,
    proxyGroup: egress,
  });
  new DNSConfig('ts-net', { clusterIP: '10.43.0.53', coreDnsStub: {} });
  return {
    operator,
    standalone,
    egress,
    primary,
    replica,
    outputs: { dnsNames: [standalone.dnsName, primary.dnsName, replica.dnsName] },
  };
}
