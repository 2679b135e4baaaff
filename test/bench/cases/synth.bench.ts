import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, type ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-33';
import {
  ApiServerProxy,
  Connector,
  ProxyClass,
  Tailnet,
  TailscaleIngress,
  TailscaleOperator,
  TailscaleService,
} from '@tailkube/cdk8s';
import {
  GROWTH_GOAL,
  measure,
  peakRssKb,
  row,
  type BenchCase,
  type BenchContext,
  type BenchRow,
  type Lap,
} from '../bench';

/** The user allowed to reach everything exposed (a user needs no `groups` in a base policy). */
const PRINCIPAL = 'alice@example.com';

/** Goals of the issue: cluster side ÷ bare, tailnet side ÷ YAML, whole ÷ cdk8s-plus-33, RSS ÷ bare. */
const CLUSTER_GOAL = 1.2;
const TAILNET_GOAL = 1.0;
const PLUS_GOAL = 1.5;
const RSS_GOAL = 1.5;

/** A program's objects: each chart's id and its objects, as synthesized. */
type Charts = readonly { readonly id: string; readonly objects: readonly ApiObjectProps[] }[];

/** The program's own Service number `i`: ClusterIP on `app: web-<i>`, port 80 → 8080. */
function serviceBody(i: number): ApiObjectProps {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `web-${i}` },
    spec: { selector: { app: `web-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}

function addService(chart: Chart, i: number): void {
  const service = new ApiObject(chart, `Service${i}`, serviceBody(i));
  new TailscaleService(chart, `svc-${i}`, { service, tags: [`tag:svc-${i}`] }).allow([PRINCIPAL]);
}

function addIngress(chart: Chart, i: number): void {
  new TailscaleIngress(chart, `web-${i}`, {
    hostname: `web-${i}`,
    paths: [
      { path: '/', backend: { serviceName: `web-${i}`, port: 80 } },
      { path: '/api', backend: { serviceName: `api-${i}`, port: 'http' } },
    ],
    tags: [`tag:web-${i}`],
  }).allow([PRINCIPAL]);
}

/** Builds a program of `n` exposed Services (or their mix) in `app`. */
type Build = (app: App, n: number) => void;

/** The programs measured: each `n` exposures with an operator, as a user would write them. */
export const PROGRAMS: Readonly<Record<string, Build>> = {
  'tailscale-ingress': (app, n) => {
    new TailscaleOperator(new Chart(app, 'operator'), 'Operator');
    const chart = new Chart(app, 'apps', { namespace: 'apps' });
    for (let i = 0; i < n; i++) addIngress(chart, i);
  },
  'tailscale-service': (app, n) => {
    new TailscaleOperator(new Chart(app, 'operator'), 'Operator');
    const chart = new Chart(app, 'apps', { namespace: 'apps' });
    for (let i = 0; i < n; i++) addService(chart, i);
  },
  // Per ten exposures: six Services, two Ingresses, a ProxyClass and a subnet router; one API
  // server proxy granting a user per hundred.
  mixed: (app, n) => {
    const operator = new TailscaleOperator(new Chart(app, 'operator'), 'Operator');
    const chart = new Chart(app, 'apps', { namespace: 'apps' });
    const proxy = new ApiServerProxy(chart, 'kubectl', { operator });
    for (let i = 0; i < n; i++) {
      const slot = i % 10;
      if (slot < 6) addService(chart, i);
      else if (slot < 8) addIngress(chart, i);
      else if (slot === 8) new ProxyClass(chart, `class-${i}`, { metrics: { enable: true } });
      else {
        new Connector(chart, `router-${i}`, {
          subnetRouter: { advertiseRoutes: [`10.${(i >> 8) & 255}.${i & 255}.0/24`] },
        }).allow([PRINCIPAL]);
      }
      if (i % 100 === 0)
        proxy.grantAccess([`user${i}@example.com`], { groups: [`team-${i}`], clusterRole: 'view' });
    }
  },
};

/** The directories this process synthesized into, removed when it exits. */
const outdirs: string[] = [];
process.on('exit', () => {
  for (const dir of outdirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory to synthesize into, under the system's temporary directory. */
function outdir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailkube-bench-'));
  outdirs.push(dir);
  return dir;
}

/**
 * The program through tailkube, as `cdk8s synth` runs it: constructs, then the tailnet policy
 * (render, validation, intended-access checks), then the YAML and policy files.
 */
function synthTailkube(build: Build, n: number, dir: string, lap: Lap = () => {}): App {
  const app = new App({ outdir: dir });
  build(app, n);
  lap('construct');
  Tailnet.of(app).synth();
  lap('tailnet');
  app.synth();
  lap('yaml');
  return app;
}

/**
 * The same objects, with the same bodies, as bare `ApiObject`s in charts of the same ids; with
 * `padding`, as many empty constructs in each chart as its count there.
 */
function synthBare(charts: Charts, dir: string, lap: Lap = () => {}, padding: readonly number[] = []): void {
  const app = new App({ outdir: dir });
  charts.forEach(({ id, objects }, k) => {
    const chart = new Chart(app, id);
    objects.forEach((body, j) => new ApiObject(chart, `Object${j}`, body));
    for (let j = 0; j < (padding[k] ?? 0); j++) new Construct(chart, `Empty${j}`);
  });
  lap('construct');
  app.synth();
  lap('yaml');
}

type Metadata = NonNullable<ApiObjectProps['metadata']>;

/** The metadata cdk8s-plus takes, from an object's body. */
function metadataOf(body: ApiObjectProps): Metadata {
  const { name, namespace, annotations, labels } = body.metadata ?? {};
  return {
    ...(name !== undefined && { name }),
    ...(namespace !== undefined && { namespace }),
    ...(annotations !== undefined && { annotations }),
    ...(labels !== undefined && { labels }),
  };
}

interface ServiceSpec {
  readonly selector?: Record<string, string>;
  readonly ports?: { name?: string; port: number; targetPort?: number }[];
}

interface IngressSpec {
  readonly ingressClassName?: string;
  readonly rules?: {
    http?: {
      paths: {
        path: string;
        backend: { service: { name: string; port: { number?: number; name?: string } } };
      }[];
    };
  }[];
  readonly tls?: { hosts?: string[] }[];
}

/**
 * The same objects through cdk8s-plus-33 where it has the kind (Service, Ingress), the others as
 * `ApiObject`s. Ingress backends refer to typed Services of a chart that is never synthesized (a
 * real program would declare them), and name their port by number, as cdk8s-plus does.
 */
function synthPlus(charts: Charts, dir: string): void {
  const app = new App({ outdir: dir });
  const references = new Chart(new App(), 'references');
  const backends = new Map<string, kplus.Service>();
  const backend = (name: string, port: number): kplus.Service => {
    let service = backends.get(name);
    if (service === undefined) {
      service = new kplus.Service(references, name, { metadata: { name }, ports: [{ port }] });
      backends.set(name, service);
    }
    return service;
  };
  for (const { id, objects } of charts) {
    const chart = new Chart(app, id);
    objects.forEach((body, j) => {
      if (body.kind === 'Service') {
        const spec = (body as unknown as { spec: ServiceSpec }).spec;
        const service = new kplus.Service(chart, `Object${j}`, {
          metadata: metadataOf(body),
          ports: (spec.ports ?? []).map(({ name, port, targetPort }) => ({
            port,
            ...(name !== undefined && { name }),
            ...(targetPort !== undefined && { targetPort }),
          })),
        });
        for (const [key, value] of Object.entries(spec.selector ?? {})) service.selectLabel(key, value);
      } else if (body.kind === 'Ingress') {
        const spec = (body as unknown as { spec: IngressSpec }).spec;
        const ingress = new kplus.Ingress(chart, `Object${j}`, {
          metadata: metadataOf(body),
          ...(spec.ingressClassName !== undefined && { className: spec.ingressClassName }),
          tls: (spec.tls ?? []).map(({ hosts }) => ({ hosts: hosts ?? [] })),
        });
        for (const { path: route, backend: target } of spec.rules?.[0]?.http?.paths ?? []) {
          const port = target.service.port.number ?? 80;
          ingress.addRule(
            route,
            kplus.IngressBackend.fromService(backend(target.service.name, port), { port }),
            kplus.HttpIngressPathType.PREFIX,
          );
        }
      } else {
        new ApiObject(chart, `Object${j}`, body);
      }
    });
  }
  app.synth();
}

/**
 * How many constructs each chart of `app` holds beyond its objects: what tailkube's constructs add
 * to the tree, whose every node cdk8s visits when it synthesizes.
 */
function paddingOf(app: App): number[] {
  return app.charts.map((chart) => chart.node.findAll().length - 1 - chart.toJson().length);
}

function chartsOf(app: App): Charts {
  return app.charts.map((chart) => ({ id: chart.node.id, objects: chart.toJson() as ApiObjectProps[] }));
}

/** Every file of `dir`, by name: what `cdk8s synth` wrote. */
function written(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((file) => file.endsWith('.k8s.yaml'))
      .map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]),
  );
}

/** The sides of one program at size `n`, after checking that bare writes the same YAML. */
function sidesOf(program: string, n: number): Parameters<typeof measure>[0] {
  const build = PROGRAMS[program]!;
  const dir = outdir();
  const app = synthTailkube(build, n, dir);
  const charts = chartsOf(app);
  const padding = paddingOf(app);
  const bareDir = outdir();
  const plusDir = outdir();
  synthBare(charts, bareDir);
  if (JSON.stringify(written(dir)) !== JSON.stringify(written(bareDir))) {
    throw new Error(`${program}: the bare program does not write the same YAML`);
  }
  return {
    tailkube: (lap) => synthTailkube(build, n, dir, lap),
    bare: (lap) => synthBare(charts, bareDir, lap),
    padded: () => synthBare(charts, bareDir, undefined, padding),
    plus: () => synthPlus(charts, plusDir),
  };
}

/** For `node peak-rss.js`: each program through tailkube, bare (from its bodies) and cdk8s-plus-33. */
export const programs: Readonly<Record<string, (n: number) => void>> = Object.fromEntries(
  Object.keys(PROGRAMS).flatMap((program) => [
    [`${program}:tailkube`, (n: number) => void synthTailkube(PROGRAMS[program]!, n, outdir())],
    [`${program}:bare`, (n: number) => synthBare(readCharts(program, n), outdir())],
  ]),
);

/** The charts of a program, saved by the parent process so that a bare child builds nothing else. */
function chartsFile(program: string, n: number): string {
  return path.join(os.tmpdir(), `tailkube-bench-${program}-${n}.json`);
}

function readCharts(program: string, n: number): Charts {
  return JSON.parse(fs.readFileSync(chartsFile(program, n), 'utf8')) as Charts;
}

function synthCase(program: string): BenchCase {
  const name = `synth:${program}`;
  return {
    name,
    run: async (context: BenchContext): Promise<BenchRow[]> => {
      const [small, large] = context.quick ? [100, 1000] : [1000, 10000];
      const at: Record<number, Record<string, number>> = {};
      for (const n of [small, large]) {
        context.log(`${name}: ${n} exposures…`);
        at[n] = { ...(await measure(sidesOf(program, n), context.repetitions)) };
      }
      const m = at[large]!;
      const cluster = m['tailkube.construct']! + m['tailkube.yaml']!;
      fs.writeFileSync(
        chartsFile(program, large),
        JSON.stringify(chartsOf(synthTailkube(PROGRAMS[program]!, large, outdir()))),
      );
      const rss = {
        tailkubeKb: peakRssKb(__filename, `${program}:tailkube`, large),
        bareKb: peakRssKb(__filename, `${program}:bare`, large),
      };
      fs.rmSync(chartsFile(program, large));
      return [
        row(
          `${name} cluster side ÷ bare ApiObjects`,
          large,
          cluster / m['bare']!,
          'ratio',
          { max: CLUSTER_GOAL },
          m,
        ),
        // The least a library of constructs adds: as many constructs as tailkube's, empty.
        row(
          `${name} bare + as many empty constructs ÷ bare ApiObjects`,
          large,
          m['padded']! / m['bare']!,
          'ratio',
          { max: CLUSTER_GOAL },
          m,
        ),
        row(
          `${name} tailnet side ÷ YAML of its objects`,
          large,
          m['tailkube.tailnet']! / m['bare.yaml']!,
          'ratio',
          { max: TAILNET_GOAL },
          m,
        ),
        row(
          `${name} whole synth ÷ cdk8s-plus-33`,
          large,
          m['tailkube']! / m['plus']!,
          'ratio',
          { max: PLUS_GOAL },
          m,
        ),
        row(
          `${name} growth ${small}→${large}`,
          large,
          m['tailkube']! / at[small]!['tailkube']!,
          'growth',
          GROWTH_GOAL,
          {
            [`tailkube@${small}`]: at[small]!['tailkube']!,
            [`tailkube@${large}`]: m['tailkube']!,
          },
        ),
        row(`${name} peak RSS ÷ bare`, large, rss.tailkubeKb / rss.bareKb, 'ratio', { max: RSS_GOAL }, rss),
      ];
    },
  };
}

export const cases: BenchCase[] = Object.keys(PROGRAMS).map(synthCase);
