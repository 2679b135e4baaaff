import { ApiObject, App, Chart, type ApiObjectProps } from 'cdk8s';
import { ProxyGroup, Tailnet, TailscaleOperator, type ProxyGroupType } from '@tailkube/cdk8s';
import type { BenchCase } from '../bench';

/** The types the groups cycle through: a third are `kube-apiserver`, each with a service approval. */
const TYPES: readonly ProxyGroupType[] = ['ingress', 'egress', 'kube-apiserver'];

type Bodies = readonly ApiObjectProps[];

/** One app with the operator and `groups` ProxyGroups, synthesized with its policy. */
function synthTailkube(groups: number, keep?: ApiObjectProps[]): number {
  const app = new App();
  new TailscaleOperator(new Chart(app, 'operator'), 'Operator');
  const chart = new Chart(app, 'groups');
  for (let i = 0; i < groups; i++) {
    new ProxyGroup(chart, `pg-${i}`, { type: TYPES[i % TYPES.length]!, tags: [`tag:pg-${i % 10}`] });
  }
  const json = chart.toJson() as ApiObjectProps[];
  Tailnet.of(app).synth();
  keep?.push(...json);
  return json.length;
}

/** The same ProxyGroup objects, with the same bodies, as bare `ApiObject`s. */
function synthBaseline(bodies: Bodies): number {
  const app = new App();
  const chart = new Chart(app, 'groups');
  bodies.forEach((body, j) => new ApiObject(chart, `Object${j}`, body));
  return chart.toJson().length;
}

export const cases: BenchCase[] = [
  {
    name: 'synth:proxy-group',
    prepare: (size) => {
      const bodies: ApiObjectProps[] = [];
      const n = synthTailkube(size, bodies);
      if (synthBaseline(bodies) !== n) throw new Error('the baseline does not synthesize the same objects');
      return { n, run: () => synthTailkube(size), baseline: () => synthBaseline(bodies) };
    },
  },
];
