import { ApiObject, App, Chart, type ApiObjectProps } from 'cdk8s';
import { ApiServerProxy, Recorder, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';
import type { BenchCase } from '../bench';

/** Principals granted per program: one user and one bound group each. */
const GRANTS_PER_APP = 50;
/** Objects one program synthesizes: the operator's 3, a Recorder, and a binding per grant. */
const OBJECTS_PER_APP = 3 + 1 + GRANTS_PER_APP;

type Bodies = readonly ApiObjectProps[];

/**
 * `apps` programs, each an operator with its in-process API server proxy, a Recorder, and
 * `GRANTS_PER_APP` users granted their own group bound to `view`, with recorded sessions;
 * synthesized with the policy and its offline access checks.
 */
function synthTailkube(apps: number, keep?: Bodies[]): number {
  let objects = 0;
  for (let i = 0; i < apps; i++) {
    const app = new App();
    const operator = new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
    const access = new Chart(app, 'access');
    const recorder = new Recorder(access, 'recorder', { enableUI: true });
    const proxy = new ApiServerProxy(access, 'kubectl', { operator });
    for (let j = 0; j < GRANTS_PER_APP; j++) {
      proxy.grantAccess([`user${j}@example.com`], { groups: [`team-${j}`], clusterRole: 'view', recorder });
    }
    const json = app.charts.flatMap((chart) => chart.toJson() as ApiObjectProps[]);
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
    const chart = new Chart(app, 'access');
    appBodies.forEach((body, j) => new ApiObject(chart, `Object${j}`, body));
    objects += chart.toJson().length;
  }
  return objects;
}

export const cases: BenchCase[] = [
  {
    name: 'synth:api-server-proxy',
    prepare: (size) => {
      const apps = Math.ceil(size / OBJECTS_PER_APP);
      const bodies: Bodies[] = [];
      const n = synthTailkube(apps, bodies);
      if (synthBaseline(bodies) !== n) throw new Error('the baseline does not synthesize the same objects');
      return { n, run: () => synthTailkube(apps), baseline: () => synthBaseline(bodies) };
    },
  },
];
