import { ApiObject, App, Chart, type ApiObjectProps } from 'cdk8s';
import { Connector, ProxyClass, Tailnet, TailscaleOperator } from '@tailkube/cdk8s';
import type { BenchCase } from '../bench';

type Bodies = readonly ApiObjectProps[];

/** A route of its own per Connector, so no two advertise the same one. */
function route(i: number): string {
  return `10.${(i >> 8) & 255}.${i & 255}.0/24`;
}

/**
 * `count` subnet-router Connectors in one app with an operator, each allowed to a group, and the
 * app's tailnet policy rendered (with the intended access checked). Returns the chart's objects.
 */
function synthConnectors(count: number, keep?: Bodies[]): number {
  const app = new App();
  new Tailnet(app, 'Tailnet', { basePolicy: '{"groups": {"group:family": ["kid@example.com"]}}' });
  new TailscaleOperator(new Chart(app, 'operator'), 'tailscale');
  const chart = new Chart(app, 'connectors');
  for (let i = 0; i < count; i++) {
    new Connector(chart, `c${i}`, { subnetRouter: { advertiseRoutes: [route(i)] } }).allow(['group:family']);
  }
  const json = chart.toJson() as ApiObjectProps[];
  Tailnet.of(app).synth();
  keep?.push(json);
  return json.length;
}

/** `count` ProxyClasses a platform team would set, in one app, with its tailnet policy. */
function synthProxyClasses(count: number, keep?: Bodies[]): number {
  const app = new App();
  const chart = new Chart(app, 'platform');
  for (let i = 0; i < count; i++) {
    new ProxyClass(chart, `pc${i}`, {
      statefulSet: {
        pod: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tailscaleContainer: { resources: { requests: { cpu: '50m', memory: '64Mi' } } },
        },
      },
      metrics: { enable: true },
    });
  }
  const json = chart.toJson() as ApiObjectProps[];
  Tailnet.of(app).synth();
  keep?.push(json);
  return json.length;
}

/** The same objects, with the same bodies, as bare `ApiObject`s. */
function synthBaseline(bodies: readonly Bodies[]): number {
  let objects = 0;
  for (const appBodies of bodies) {
    const app = new App();
    const chart = new Chart(app, 'chart');
    appBodies.forEach((body, j) => new ApiObject(chart, `Object${j}`, body));
    objects += chart.toJson().length;
  }
  return objects;
}

function synthCase(name: string, synth: (count: number, keep?: Bodies[]) => number): BenchCase {
  return {
    name,
    prepare: (size) => {
      const bodies: Bodies[] = [];
      const n = synth(size, bodies);
      if (synthBaseline(bodies) !== n) throw new Error('the baseline does not synthesize the same objects');
      return { n, run: () => synth(size), baseline: () => synthBaseline(bodies) };
    },
  };
}

export const cases: BenchCase[] = [
  synthCase('synth:connector', synthConnectors),
  synthCase('synth:proxy-class', synthProxyClasses),
];
