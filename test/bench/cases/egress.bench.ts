import { ApiObject, App, Chart, type ApiObjectProps } from 'cdk8s';
import { EgressService, ProxyGroup, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';
import type { BenchCase } from '../bench';

/** Targets the Services cycle through, each a tagged database the base policy owns. */
const TARGETS = 10;
/** Egress Services per egress ProxyGroup; a third of the Services run on one. */
const SERVICES_PER_GROUP = 500;

const BASE_POLICY = JSON.stringify({
  tagOwners: Object.fromEntries(Array.from({ length: TARGETS }, (_, i) => [`tag:db-${i}`, []])),
});

type Bodies = readonly ApiObjectProps[];

/**
 * One app with the operator and `services` egress Services (two thirds standalone, a third on
 * egress ProxyGroups), synthesized with its policy and the offline check of every grant.
 */
function synthTailkube(services: number, keep?: ApiObjectProps[]): number {
  const app = new App();
  new Tailnet(app, 'Tailnet', { basePolicy: BASE_POLICY });
  new TailscaleOperator(new Chart(app, 'operator'), 'Operator');
  const chart = new Chart(app, 'egress', { namespace: 'apps' });
  const groups: ProxyGroup<'egress'>[] = [];
  for (let i = 0; i < services; i++) {
    const onGroup = i % 3 === 2;
    const groupIndex = Math.floor(i / 3 / SERVICES_PER_GROUP);
    if (onGroup && !groups[groupIndex]) {
      groups[groupIndex] = new ProxyGroup(chart, `egress-${groupIndex}`, { type: 'egress' });
    }
    new EgressService(chart, `db-${i}`, {
      tailnetFqdn: `db-${i}.example-tailnet.ts.net`,
      policyTarget: `tag:db-${i % TARGETS}`,
      ports: [{ port: 5432 + (i % 3), name: 'postgres' }],
      ...(onGroup && { proxyGroup: groups[groupIndex] }),
    });
  }
  const json = chart.toJson() as ApiObjectProps[];
  Tailnet.of(app).synth();
  keep?.push(...json);
  return json.length;
}

/** The same objects, with the same bodies, as bare `ApiObject`s. */
function synthBaseline(bodies: Bodies): number {
  const app = new App();
  const chart = new Chart(app, 'egress', { namespace: 'apps' });
  bodies.forEach((body, j) => new ApiObject(chart, `Object${j}`, body));
  return chart.toJson().length;
}

export const cases: BenchCase[] = [
  {
    name: 'synth:egress-service',
    prepare: (size) => {
      const bodies: ApiObjectProps[] = [];
      const n = synthTailkube(size, bodies);
      if (synthBaseline(bodies) !== n) throw new Error('the baseline does not synthesize the same objects');
      return { n, run: () => synthTailkube(size), baseline: () => synthBaseline(bodies) };
    },
  },
];
