import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import {
  TailnetModel,
  ValidationError,
  checkObjectIdentities,
  constructPath,
  withFields,
  type DeclaredService,
  type KubeObjectIdentity,
  type TailnetModelProps,
  type TailnetRequirements,
  type TailnetSynthesis,
} from '@tailkube/core/internal';
import { pathOf } from './private/path';
import { policyOutdir } from './private/policy-outdir';
import { renderedSpec } from './private/rendered-spec';

const TAILNET = Symbol.for('tailkube.cdk8s.Tailnet');

/** The file the tailnet policy is written to, beside the charts' YAML. */
export const POLICY_FILE = 'tailnet-policy.hujson';
/** The file stating the OAuth scopes, tags and access the program needs. */
export const REQUIREMENTS_FILE = 'tailnet-requirements.json';

/** The file the policy of a further tailnet (an `OperatorTailnet` named `name`) is written to. */
export function tailnetPolicyFile(name: string): string {
  return `tailnet-policy.${name}.hujson`;
}

/** Settings of an app's tailnet. */
export interface TailnetProps extends TailnetModelProps {}

/**
 * The tailnet side of a cdk8s app: collects what every tailkube construct needs and, when the app
 * synthesizes, writes `tailnet-policy.hujson` and `tailnet-requirements.json` beside the charts
 * (`cdk8s synth --format helm`: beside `Chart.yaml`, not in `templates/`; `cdk8s synth --stdout`:
 * in `dist/`, as the YAML goes to stdout).
 *
 * One per app, on the app itself. Constructs find it with {@link Tailnet.of}, which creates it
 * with default props when the program declares none, so the policy cannot be forgotten.
 */
export class Tailnet extends Construct {
  /** The app's tailnet, created with default props if the app has none yet. */
  static of(scope: IConstruct): Tailnet {
    const root = scope.node.root;
    const existing = root.node.children.find(Tailnet.isTailnet);
    return existing ?? new Tailnet(root as Construct, 'Tailnet');
  }

  /** Whether `x` is a Tailnet, from any copy of the library. */
  static isTailnet(this: void, x: unknown): x is Tailnet {
    return typeof x === 'object' && x !== null && TAILNET in x;
  }

  readonly #model: TailnetModel;
  /** Set while `app.synth()` runs, which has checked the app's objects before cdk8s validates. */
  #appSynthesizing = false;

  constructor(scope: Construct, id: string, props: TailnetProps = {}) {
    const existing = scope.node.root.node.children.find(Tailnet.isTailnet);
    if (existing || scope.node.scopes.length !== 1) {
      throw new ValidationError({
        path: pathOf('Tailnet', scope, id),
        field: 'scope',
        value: existing ? `a second tailnet beside '${existing.node.path}'` : scope.node.path,
        allowed: 'the app itself, once: `new Tailnet(app, id, props)` before any tailkube construct',
        ...(existing && {
          hint: "tailkube constructs create the app's Tailnet on first use; create yours before them",
        }),
      });
    }
    // Built first: a malformed base policy throws before the tailnet joins the tree.
    const model = new TailnetModel(pathOf('Tailnet', scope, id), props);
    super(scope, id);
    Object.defineProperty(this, TAILNET, { value: true });
    this.#model = model;
    // Render when the app validates: after every construct exists, before any file is written, so
    // a policy error stops the synth. Write the files only when the app itself synthesizes:
    // `chart.toJson()` (and `Testing.synth`) validate the whole app too, and must not write to
    // the app's outdir (`./dist` by default) on every call.
    this.node.addValidation({
      validate: () => {
        if (!this.#appSynthesizing) this.#checkObjects();
        this.synth();
        return [];
      },
    });
    const app = App.of(this);
    const synthApp = app.synth.bind(app);
    app.synth = () => {
      // The app's objects are checked once here: cdk8s validates the whole app again for each chart
      // it writes, and a walk of every object per chart would grow with charts × objects.
      this.#checkObjects();
      this.#appSynthesizing = true;
      try {
        synthApp();
      } finally {
        this.#appSynthesizing = false;
      }
      this.#write();
    };
  }

  /**
   * Records what a construct needs; throws once the policy is rendered. `scope` is given for the
   * operator and each custom resource: it names the chart the construct is applied with.
   *
   * @internal
   */
  register(requirements: TailnetRequirements, scope?: IConstruct): void {
    const chart = scope?.node.scopes.filter((s): s is Chart => Chart.isChart(s)).pop();
    this.#model.register(chart ? withFields(requirements, { applyUnit: chart.node.path }) : requirements);
  }

  /** Renders the policy and requirements (once; later calls return the same result). */
  synth(): TailnetSynthesis {
    if (!this.#model.sealed) {
      this.#model.declareServices(declaredServices(App.of(this), this.#model.backendServices));
    }
    return this.#model.seal();
  }

  /** No two objects of the app, in any of its charts, share an identity (kind, namespace, name). */
  #checkObjects(): void {
    checkObjectIdentities(apiObjectsOf(this.node.root));
  }

  #write(): void {
    const synthesis = this.synth();
    const { dir, note } = policyOutdir(App.of(this).outdir);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, POLICY_FILE), synthesis.text);
    fs.writeFileSync(path.join(dir, REQUIREMENTS_FILE), `${JSON.stringify(synthesis.report, null, 2)}\n`);
    // Each further tailnet (an OperatorTailnet) has a policy of its own, never merged into this one.
    for (const [name, text] of Object.entries(synthesis.tailnetPolicies)) {
      fs.writeFileSync(path.join(dir, tailnetPolicyFile(name)), text);
    }
    // stderr: under `--stdout` the CLI prints the app's stderr and discards its stdout.
    if (note !== undefined) process.stderr.write(`${note}\n`);
  }
}

/** Every `ApiObject` under `root`, by identity, named by its declaring construct only for a message. */
function* apiObjectsOf(root: IConstruct): Generator<{ source: () => string; object: KubeObjectIdentity }> {
  for (const construct of root.node.findAll()) {
    if (!ApiObject.isApiObject(construct)) continue;
    const { apiVersion, kind, name, metadata } = construct;
    yield {
      source: () => sourceOf(construct),
      object: { apiVersion, kind, metadata: { name, namespace: metadata.namespace } },
    };
  }
}

/** The construct that declares `object`: the tailkube (or cdk8s-plus) construct holding it, else the object. */
function sourceOf(object: ApiObject): string {
  const parent = object.node.scope;
  return parent === undefined || Chart.isChart(parent)
    ? constructPath(object.kind, object.node.path)
    : constructPath(parent.constructor.name, parent.node.path);
}

/**
 * The `v1` Services of the app named in `wanted` (`namespace/name`), with their ports, as the API
 * server will hold them. Only their specs are rendered.
 */
function declaredServices(app: App, wanted: ReadonlySet<string>): DeclaredService[] {
  if (wanted.size === 0) return [];
  return app.node
    .findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.apiVersion === 'v1' && c.kind === 'Service')
    .map((service) => ({
      service,
      namespace: service.metadata.namespace ?? Chart.of(service).namespace ?? 'default',
    }))
    .filter(({ service, namespace }) => wanted.has(`${namespace}/${service.name}`))
    .map(({ service, namespace }) => {
      const spec = renderedSpec(service) as { ports?: { port?: unknown; name?: unknown }[] } | undefined;
      return {
        namespace,
        name: service.name,
        ports: (spec?.ports ?? [])
          .filter((p) => typeof p.port === 'number')
          .map((p) => ({ port: p.port as number, ...(typeof p.name === 'string' && { name: p.name }) })),
      };
    });
}
