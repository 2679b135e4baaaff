import { ApiObject, App, Chart, type ApiObjectProps } from 'cdk8s';
import { ProxyGroup, Tailnet, TailscaleIngress, TailscaleOperator } from '@tailkube/cdk8s';
import type { TailnetSynthesis } from '@tailkube/core/internal';
import type { BenchCase } from '../bench';

/** The user allowed to reach every Ingress (a user needs no `groups` in a base policy). */
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

/**
 * `n` tailnet-only Ingresses, each with its own tag, two paths and an `allow()` grant, standalone
 * or on one ingress ProxyGroup; synthesized with the tailnet policy.
 */
function exposeIngresses(n: number, mode: Mode): Program {
  const app = new App();
  new TailscaleOperator(new Chart(app, 'operator'), 'Operator');
  const chart = new Chart(app, 'apps', { namespace: 'apps' });
  const group =
    mode === 'proxy-group'
      ? new ProxyGroup(chart, 'ingress', { type: 'ingress', replicas: GROUP_REPLICAS })
      : undefined;
  for (let i = 0; i < n; i++) {
    new TailscaleIngress(chart, `web-${i}`, {
      hostname: `web-${i}`,
      paths: [
        { path: '/', backend: { serviceName: `web-${i}`, port: 80 } },
        { path: '/api', backend: { serviceName: `api-${i}`, port: 'http' } },
      ],
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
  const annotationsOf = (o: ApiObjectProps) => (o.metadata?.annotations ?? {}) as Record<string, string>;
  const standalone = program.objects.filter(
    (o) => o.kind === 'Ingress' && !annotationsOf(o)['tailscale.com/proxy-group'],
  ).length;
  const groupPods = program.objects
    .filter((o) => o.kind === 'ProxyGroup')
    .reduce((sum, o) => sum + ((o as { spec?: { replicas?: number } }).spec?.replicas ?? GROUP_REPLICAS), 0);
  // Devices: one per standalone proxy, one per group replica; Tailscale Services are not devices.
  const services = Object.keys(program.synthesis.document.autoApprovers?.services ?? {}).length;
  return { pods: standalone + groupPods, devices: standalone + groupPods, services };
}

export const cases: BenchCase[] = [
  {
    name: 'synth:tailscale-ingress',
    prepare: (size) => {
      const { objects } = exposeIngresses(size, 'standalone');
      if (synthBaseline(objects) !== objects.length) {
        throw new Error('the baseline does not synthesize the same objects');
      }
      return {
        n: size,
        run: () => exposeIngresses(size, 'standalone'),
        baseline: () => synthBaseline(objects),
      };
    },
    notes: () => {
      const lines = [
        `Footprint of N tailnet Ingresses: standalone vs one ingress ProxyGroup (${GROUP_REPLICAS} replicas)`,
        '| N | standalone pods | standalone devices | ProxyGroup pods | ProxyGroup devices | Tailscale Services |',
        '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ];
      for (const n of FOOTPRINT_SIZES) {
        const alone = footprint(exposeIngresses(n, 'standalone'));
        const shared = footprint(exposeIngresses(n, 'proxy-group'));
        lines.push(
          `| ${n} | ${alone.pods} | ${alone.devices} | ${shared.pods} | ${shared.devices} | ${shared.services} |`,
        );
      }
      return lines;
    },
  },
];
