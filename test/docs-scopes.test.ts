import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  Connector,
  EgressService,
  FunnelIngress,
  ProxyGroup,
  Tailnet,
  TailscaleIngress,
  TailscaleOperator,
  TailscaleService,
} from '@tailkube/cdk8s';

// docs/concepts.md says which constructs make the operator's client ask for the `services` OAuth
// scope. Each case here builds one program and derives its scopes; the table's `when` cell must
// name exactly the cases that need it.

const CONCEPTS = resolve(__dirname, '..', 'docs', 'concepts.md');

interface Case {
  readonly label: string;
  /**
   * How the `services` row names it: it must appear when the case needs the scope, and must not
   * otherwise. Absent for a case that differs from a named one only by where it runs.
   */
  readonly named?: string;
  readonly needsServices: boolean;
  readonly build: (chart: Chart) => void;
}

function webService(chart: Construct): ApiObject {
  return new ApiObject(chart, 'web-svc', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] },
  });
}

const CASES: readonly Case[] = [
  {
    label: 'a kube-apiserver ProxyGroup',
    named: '`kube-apiserver` ProxyGroup',
    needsServices: true,
    build: (chart) => void new ProxyGroup(chart, 'k8s-api', { type: 'kube-apiserver' }),
  },
  {
    label: 'a TailscaleService on an ingress ProxyGroup',
    named: '`TailscaleService`',
    needsServices: true,
    build: (chart) => {
      const group = new ProxyGroup(chart, 'ingress', { type: 'ingress' });
      new TailscaleService(chart, 'web', { service: webService(chart), proxyGroup: group, hostname: 'web' });
    },
  },
  {
    label: 'a TailscaleIngress on an ingress ProxyGroup',
    named: '`TailscaleIngress`',
    needsServices: true,
    build: (chart) => {
      const group = new ProxyGroup(chart, 'ingress', { type: 'ingress' });
      new TailscaleIngress(chart, 'dash', {
        hostname: 'dash',
        defaultBackend: { serviceName: 'dashboard', port: 3000 },
        proxyGroup: group,
      });
    },
  },
  {
    label: 'an ingress ProxyGroup by itself',
    needsServices: false,
    build: (chart) => void new ProxyGroup(chart, 'ingress', { type: 'ingress' }),
  },
  {
    label: 'a standalone TailscaleService',
    needsServices: false,
    build: (chart) => void new TailscaleService(chart, 'web', { service: webService(chart) }),
  },
  {
    label: 'a FunnelIngress (standalone only)',
    named: '`FunnelIngress`',
    needsServices: false,
    build: (chart) =>
      void new FunnelIngress(chart, 'app', {
        public: true,
        hostname: 'app',
        defaultBackend: { serviceName: 'app', port: 8080 },
      }),
  },
  {
    label: 'an EgressService on an egress ProxyGroup',
    named: '`EgressService`',
    needsServices: false,
    build: (chart) => {
      const group = new ProxyGroup(chart, 'egress', { type: 'egress' });
      new EgressService(chart, 'db', {
        tailnetIp: '100.100.12.7',
        ports: [{ port: 5432 }],
        proxyGroup: group,
      });
    },
  },
  {
    label: 'a Connector',
    named: '`Connector`',
    needsServices: false,
    build: (chart) =>
      void new Connector(chart, 'router', { subnetRouter: { advertiseRoutes: ['10.0.0.0/24'] } }),
  },
];

function scopes(build: (chart: Chart) => void): readonly string[] {
  const app = Testing.app();
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  build(new Chart(app, 'apps', { namespace: 'apps' }));
  return Tailnet.of(app).synth().report.operator?.scopes ?? [];
}

/** The `when` cell of the `services` row of the scopes table. */
function servicesWhen(): string {
  const row = readFileSync(CONCEPTS, 'utf8')
    .split('\n')
    .find((line) => line.startsWith('| `services` |'));
  if (row === undefined) throw new Error('docs/concepts.md has no `services` row');
  return row.split('|')[2]!.trim();
}

describe('docs/concepts.md: the `services` OAuth scope', () => {
  test.each(CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    expect(scopes(c.build).includes('services')).toBe(c.needsServices);
  });

  test('the table names every construct that needs it, and no other', () => {
    const when = servicesWhen();
    for (const c of CASES) {
      if (c.named === undefined) continue;
      if (c.needsServices) expect(when).toContain(c.named);
      else expect(when).not.toContain(c.named);
    }
    expect(when).toContain('on an ingress ProxyGroup');
  });
});
