import { ApiObject, App, Chart, type ApiObjectProps } from 'cdk8s';
import { Tailnet, TailscaleOperator } from '@tailkube/cdk8s';
import type { BenchCase } from '../bench';

/** Objects one TailscaleOperator synthesizes (Namespace, HelmRepository, HelmRelease). */
const OBJECTS_PER_OPERATOR = 3;

type Bodies = readonly ApiObjectProps[];

/** One operator per tailnet and one tailnet per app: `apps` apps, each synthesized with its policy. */
function synthTailkube(apps: number, keep?: Bodies[]): number {
  let objects = 0;
  for (let i = 0; i < apps; i++) {
    const app = new App();
    const chart = new Chart(app, 'operator');
    new TailscaleOperator(chart, 'Operator', { hostname: `operator-${i}` });
    const json = chart.toJson() as ApiObjectProps[];
    objects += json.length;
    Tailnet.of(app).synth();
    keep?.push(json);
  }
  return objects;
}

/** The same objects, with the same bodies, as bare `ApiObject`s. */
function synthBaseline(bodies: readonly Bodies[]): number {
  let objects = 0;
  for (const appBodies of bodies) {
    const app = new App();
    const chart = new Chart(app, 'operator');
    appBodies.forEach((body, j) => new ApiObject(chart, `Object${j}`, body));
    objects += chart.toJson().length;
  }
  return objects;
}

export const cases: BenchCase[] = [
  {
    name: 'synth:tailscale-operator',
    prepare: (size) => {
      const apps = Math.ceil(size / OBJECTS_PER_OPERATOR);
      const bodies: Bodies[] = [];
      const n = synthTailkube(apps, bodies);
      if (synthBaseline(bodies) !== n) throw new Error('the baseline does not synthesize the same objects');
      return { n, run: () => synthTailkube(apps), baseline: () => synthBaseline(bodies) };
    },
  },
];
