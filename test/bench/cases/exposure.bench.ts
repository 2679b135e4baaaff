import { ApiObject, App, Chart, type ApiObjectProps } from 'cdk8s';
import { ProxyGroup, Tailnet, TailscaleOperator, TailscaleService } from '@tailkube/cdk8s';
import { claimsOf, type TailnetSynthesis } from '@tailkube/core/internal';
import type { BenchCase } from '../bench';

/** The user allowed to reach every exposed Service (a user needs no `groups` in a base policy). */
const PRINCIPAL = 'alice@example.com';
/** Replicas of the shared ingress ProxyGroup in the footprint comparison. */
const GROUP_REPLICAS = 2;
/** Sizes of the footprint comparison. */
const FOOTPRINT_SIZES = [1, 10, 100] as const;

type Mode = 'standalone' | 'proxy-group';

interface Program {
  readonly objects: readonly ApiObjectProps[];
  readonly synthesis: TailnetSynthesis;
}

/** The program's own Service number `i`: ClusterIP on `app: web-<i>`, port 80 → 8080. */
function serviceBody(i: number): ApiObjectProps {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `web-${i}` },
    spec: { selector: { app: `web-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}

/**
 * `n` Services exposed to the tailnet (annotated), each with its own tag and an `allow()` grant,
 * standalone or on one ingress ProxyGroup; synthesized with the tailnet policy.
 */
function exposeServices(n: number, mode: Mode): Program {
  const app = new App();
  new TailscaleOperator(new Chart(app, 'operator'), 'Operator');
  const chart = new Chart(app, 'apps', { namespace: 'apps' });
  const group =
    mode === 'proxy-group'
      ? new ProxyGroup(chart, 'ingress', { type: 'ingress', replicas: GROUP_REPLICAS })
      : undefined;
  for (let i = 0; i < n; i++) {
    const service = new ApiObject(chart, `Service${i}`, serviceBody(i));
    new TailscaleService(chart, `web-${i}`, {
      service,
      tags: [`tag:web-${i}`],
      ...(group && { proxyGroup: group }),
    }).allow([PRINCIPAL]);
  }
  const objects = chart.toJson() as ApiObjectProps[];
  return { objects, synthesis: Tailnet.of(app).synth() };
}

/** The same objects, with the same bodies, as bare `ApiObject`s. */
function synthBaseline(bodies: readonly ApiObjectProps[]): number {
  const app = new App();
  const chart = new Chart(app, 'apps');
  bodies.forEach((body, j) => new ApiObject(chart, `Object${j}`, body));
  return chart.toJson().length;
}

/** Proxy pods and tailnet devices a program makes the operator run, read from its output. */
function footprint(program: Program): { pods: number; devices: number; services: number } {
  const exposed = program.objects.filter((o) => {
    const annotations = (o.metadata?.annotations ?? {}) as Record<string, string>;
    const spec = (o as { spec?: { loadBalancerClass?: string } }).spec;
    return (
      o.kind === 'Service' &&
      (annotations['tailscale.com/expose'] === 'true' || spec?.loadBalancerClass === 'tailscale')
    );
  });
  const standalone = exposed.filter(
    (o) => !((o.metadata?.annotations ?? {}) as Record<string, string>)['tailscale.com/proxy-group'],
  );
  const groups = program.objects.filter((o) => o.kind === 'ProxyGroup');
  const groupPods = groups.reduce(
    (sum, o) => sum + ((o as { spec?: { replicas?: number } }).spec?.replicas ?? GROUP_REPLICAS),
    0,
  );
  // Devices: each standalone proxy's hostname, and each group's device hostnames (not `svc:` names).
  const devices = program.synthesis.requirements
    .filter(
      (req) =>
        req.source.startsWith('ProxyGroup ') ||
        (req.source.startsWith('TailscaleService ') && !req.autoApprovers?.services),
    )
    .reduce((sum, req) => sum + claimsOf(req, 'hostname').length, 0);
  const services = Object.keys(program.synthesis.document.autoApprovers?.services ?? {}).length;
  return { pods: standalone.length + groupPods, devices, services };
}

export const cases: BenchCase[] = [
  {
    name: 'synth:tailscale-service',
    prepare: (size) => {
      const { objects } = exposeServices(size, 'standalone');
      if (synthBaseline(objects) !== objects.length) {
        throw new Error('the baseline does not synthesize the same objects');
      }
      return {
        n: size,
        run: () => exposeServices(size, 'standalone'),
        baseline: () => synthBaseline(objects),
      };
    },
    notes: () => {
      const lines = [
        `Footprint of N exposed Services: standalone vs one ingress ProxyGroup (${GROUP_REPLICAS} replicas)`,
        '| N | standalone pods | standalone devices | ProxyGroup pods | ProxyGroup devices | Tailscale Services |',
        '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ];
      for (const n of FOOTPRINT_SIZES) {
        const alone = footprint(exposeServices(n, 'standalone'));
        const shared = footprint(exposeServices(n, 'proxy-group'));
        lines.push(
          `| ${n} | ${alone.pods} | ${alone.devices} | ${shared.pods} | ${shared.devices} | ${shared.services} |`,
        );
      }
      return lines;
    },
  },
];
