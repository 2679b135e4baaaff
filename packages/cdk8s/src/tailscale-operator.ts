import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Lazy, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import {
  POD_SECURITY_ENFORCE_LABEL,
  isGitOpsFileEngine,
  operatorImages,
  renderGitOpsFile,
  DEFAULT_OPERATOR_SECRET,
  OperatorApiServerProxyUses,
  OperatorCredentials,
  operatorChart,
  operatorRequirements,
  renderArgoCdApplication,
  GITOPS_OPERATOR_FIELDS,
  renderFluxHelmRelease,
  renderFluxHelmRepository,
  renderOperatorNamespace,
  renderOperatorValues,
  resolveTailscaleOperatorProps,
  type ApiServerProxyUse,
  type ArgoCdOptions,
  type GitOpsEngine,
  type GitOpsFile,
  type TailscaleImage,
  type TailscaleImageName,
  type ITailscaleOperator,
  type ResolvedTailscaleOperatorProps,
  type TailscaleOperatorProps as CoreTailscaleOperatorProps,
  type ITailnetPrincipal,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { policyOutdir } from './private/policy-outdir';
import { Tailnet } from './tailnet';

const OPERATOR = Symbol.for('tailkube.cdk8s.TailscaleOperator');

/** Props of the cdk8s {@link TailscaleOperator}. */
export interface TailscaleOperatorProps extends CoreTailscaleOperatorProps {
  /**
   * What installs the chart: a Flux `HelmRepository` + `HelmRelease` or an Argo CD `Application`
   * (objects in the chart's YAML), or a file written beside the synthesized YAML when the app
   * synthesizes: Rancher Fleet's `fleet.yaml`, Helm's `values.yaml`, or a `kustomization.yaml`
   * with `helmCharts`. Only the chosen target's output is emitted.
   *
   * @default 'flux'
   */
  readonly gitops?: GitOpsEngine;
  /**
   * Where the Argo CD `Application` goes, when `gitops` is `'argocd'`.
   *
   * @default - namespace `argocd`, project `default`
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * The Tailscale Kubernetes Operator, installed from the official chart at the pinned version by a
 * GitOps controller, in a namespace labelled for its privileged proxies. Registers the operator's
 * tags, its proxies' tags and its OAuth client's scopes with the app's {@link Tailnet}.
 *
 * Put it in a chart of its own: the operator's chart installs the CRDs that Connectors, ProxyClasses
 * and the other tailscale.com resources need, so those must be applied after it
 * (see {@link OperatorKustomizations}).
 *
 * @see https://tailscale.com/kb/1236/kubernetes-operator
 */
export class TailscaleOperator extends Construct implements ITailnetPrincipal, ITailscaleOperator {
  /** Whether `x` is a TailscaleOperator of this library, from any copy of it. */
  static isTailscaleOperator(this: void, x: unknown): x is TailscaleOperator {
    return typeof x === 'object' && x !== null && OPERATOR in x;
  }

  /** The props with every default applied. */
  readonly props: ResolvedTailscaleOperatorProps;
  /** The operator's namespace. */
  readonly namespace: string;
  /** The tags on the operator's device. */
  readonly tags: readonly string[];
  /** The operator's device hostname; an in-process API server proxy is reached at it. */
  readonly hostname: string;
  /**
   * Every image of the operator's release, from its `version` and `imageRegistry`: pass
   * `images['k8s-nameserver']` or `images.tsrecorder` to a DNSConfig or Recorder on a mirror.
   */
  readonly images: Readonly<Record<TailscaleImageName, TailscaleImage>>;
  /** What the program's API server proxies need from the chart, read when the values render. */
  readonly #apiServerProxy = new OperatorApiServerProxyUses();

  /** Its devices' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.tags;
  }

  constructor(scope: Construct, id: string, props: TailscaleOperatorProps = {}) {
    const path = pathOf('TailscaleOperator', scope, id);
    const resolved = resolveTailscaleOperatorProps(path, props, {
      defaultCredentials: OperatorCredentials.fromSecret(DEFAULT_OPERATOR_SECRET),
      createsOAuthClient: false,
      createsFederatedIdentity: false,
      flavorFields: GITOPS_OPERATOR_FIELDS,
    });
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(operatorRequirements(path, resolved), scope);
    super(scope, id);
    Object.defineProperty(this, OPERATOR, { value: true });
    this.props = resolved;
    this.namespace = resolved.namespace;
    this.tags = resolved.tags;
    this.hostname = resolved.hostname;
    this.images = operatorImages(resolved);

    const chart = operatorChart(resolved);
    // Rendered at synth, so API server proxies declared after the operator land in its values.
    const renderValues = (): Record<string, unknown> =>
      renderOperatorValues(this.props, this.#apiServerProxy.values);
    const values = Lazy.any({ produce: renderValues }) as unknown as Record<string, unknown>;
    this.#namespace(resolved);
    const gitops = props.gitops ?? 'flux';
    if (gitops === 'flux') {
      toApiObject(this, 'HelmRepository', renderFluxHelmRepository(chart));
      toApiObject(this, 'Resource', renderFluxHelmRelease(chart, values));
    } else if (gitops === 'argocd') {
      toApiObject(this, 'Resource', renderArgoCdApplication(chart, values, props.argoCd));
    } else if (isGitOpsFileEngine(gitops)) {
      const app = App.of(this);
      const synthApp = app.synth.bind(app);
      app.synth = () => {
        synthApp();
        writeGitOpsFile(app.outdir, renderGitOpsFile(gitops, chart, renderValues()));
      };
    }
  }

  /**
   * The namespace, unless it exists already. A `shared` one carries the Pod Security label only
   * when the program's tailnet decides a construct runs privileged pods there, known at synth.
   */
  #namespace(resolved: ResolvedTailscaleOperatorProps): void {
    if (resolved.namespaceMode !== 'shared') {
      const namespace = renderOperatorNamespace(resolved);
      if (namespace) toApiObject(this, 'Namespace', namespace);
      return;
    }
    const tailnet = Tailnet.of(this);
    const unlabelled = renderOperatorNamespace(resolved, false)!;
    const apiObject = toApiObject(this, 'Namespace', unlabelled);
    apiObject.metadata.addLabel(
      POD_SECURITY_ENFORCE_LABEL,
      Lazy.any({
        produce: () => (tailnet.synth().report.operatorNamespace?.privileged ? 'privileged' : undefined),
      }) as unknown as string,
    );
  }

  /**
   * Records what an API server proxy (`source`) needs from the chart: its in-process mode, or the
   * impersonation RBAC of a ProxyGroup in `auth` mode. Throws for a second in-process proxy.
   * @internal
   */
  _useApiServerProxy(source: string, use: ApiServerProxyUse): void {
    this.#apiServerProxy.add(source, use);
  }
}

/** Writes a GitOps file beside the synthesized YAML, where the tailnet policy files go too. */
function writeGitOpsFile(outdir: string, file: GitOpsFile): void {
  const { dir } = policyOutdir(outdir);
  fs.mkdirSync(dir, { recursive: true });
  const header = file.header.map((line) => `# ${line}\n`).join('');
  fs.writeFileSync(path.join(dir, file.fileName), `${header}${Yaml.stringify(file.document)}`);
}
