import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  DEFAULT_OPERATOR_SECRET,
  OperatorApiServerProxyUses,
  OperatorCredentials,
  argsObject,
  checkedConstructPath,
  operatorChart,
  operatorImages,
  operatorRequirements,
  renderOperatorNamespace,
  renderOperatorValues,
  resolveTailscaleOperatorProps,
  type ApiServerProxyUse,
  type ITailscaleOperator,
  type TailscaleImage,
  type TailscaleImageName,
  type ResolvedTailscaleOperatorProps,
  type TailscaleOperatorProps,
  type ITailnetPrincipal,
} from '@tailkube/core/internal';
import { tailnetFor, type OperatorCredentialOutputs, type Tailnet } from './tailnet';

const OPERATOR = Symbol.for('tailkube.pulumi.TailscaleOperator');

/** Arguments of the Pulumi {@link TailscaleOperator}: the shared props, plus where it registers. */
export interface TailscaleOperatorArgs extends TailscaleOperatorProps {
  /**
   * The tailnet that receives the operator's requirements and creates its credentials.
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * The Tailscale Kubernetes Operator: its namespace (labelled for privileged proxies) and the
 * official Helm chart at the pinned version with typed values. Its OAuth client (or federated
 * identity) is created by the {@link Tailnet} once every component's scopes are known, after the
 * policy that declares its tags, and reaches the chart as secret outputs.
 *
 * Custom resources (Connector, ProxyClass, …) should `dependsOn` {@link TailscaleOperator.chart}:
 * the chart installs their CRDs.
 *
 * @see https://tailscale.com/kb/1236/kubernetes-operator
 */
export class TailscaleOperator
  extends pulumi.ComponentResource
  implements ITailnetPrincipal, ITailscaleOperator
{
  /** Whether `x` is a TailscaleOperator of this library, from any copy of it. */
  static isTailscaleOperator(this: void, x: unknown): x is TailscaleOperator {
    return typeof x === 'object' && x !== null && OPERATOR in x;
  }

  /** The props with every default applied. */
  readonly props: ResolvedTailscaleOperatorProps;
  /** The tags on the operator's device. */
  readonly tags: readonly string[];
  /** The operator's device hostname; an in-process API server proxy is reached at it. */
  readonly hostname: string;
  /** The operator's namespace; `undefined` when it exists already (`namespaceMode: 'existing'`). */
  readonly namespace: k8s.core.v1.Namespace | undefined;
  /**
   * Every image of the operator's release, from its `version` and `imageRegistry`: pass
   * `images['k8s-nameserver']` or `images.tsrecorder` to a DNSConfig or Recorder on a mirror.
   */
  readonly images: Readonly<Record<TailscaleImageName, TailscaleImage>>;
  /** The operator's Helm chart, which installs the tailscale.com CRDs. */
  readonly chart: k8s.helm.v4.Chart;
  /** What the program's API server proxies need from the chart, read once the tailnet is sealed. */
  readonly #apiServerProxy = new OperatorApiServerProxyUses();

  /** Its devices' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.tags;
  }

  constructor(name: string, args: TailscaleOperatorArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('TailscaleOperator', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveTailscaleOperatorProps(path, props, {
      defaultCredentials: OperatorCredentials.oauthClient(),
      createsOAuthClient: true,
      createsFederatedIdentity: true,
    });
    const tailnet = tailnetFor(path, tailnetArg);
    const namespace = renderOperatorNamespace(resolved);
    tailnet._claimObjects(path, namespace ? [namespace] : []);
    tailnet.register(operatorRequirements(path, resolved));
    super('tailkube:index:TailscaleOperator', name, {}, opts);
    Object.defineProperty(this, OPERATOR, { value: true });
    this.props = resolved;
    this.tags = resolved.tags;
    this.hostname = resolved.hostname;
    this.images = operatorImages(resolved);

    const credentials = tailnet._operatorCredentials();
    this.namespace = this.#namespace(name, resolved, tailnet, credentials);
    const namespaceName = this.namespace ? this.namespace.metadata.name : pulumi.output(resolved.namespace);
    const secret =
      resolved.credentials.kind === 'oauth-client' ? this.#oauthSecret(name, credentials) : undefined;
    const dependsOn: Promise<pulumi.Resource[]> = credentials.then((c) => [
      ...(this.namespace ? [this.namespace] : []),
      ...(secret ? [secret] : []),
      ...c.dependsOn,
    ]);
    // Rendered once the tailnet is sealed (as the credentials are), so API server proxies declared
    // after the operator land in its values.
    const values = credentials.then(() => renderOperatorValues(resolved, this.#apiServerProxy.values));
    const chart = operatorChart(resolved);
    this.chart = new k8s.helm.v4.Chart(
      name,
      {
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repository },
        namespace: namespaceName,
        values:
          resolved.credentials.kind === 'workload-identity'
            ? pulumi
                .output(values)
                .apply((v) =>
                  federatedOAuthValues(v['oauth'], credentials).apply((oauth) => ({ ...v, oauth })),
                )
            : pulumi.output(values),
      },
      {
        parent: this,
        dependsOn,
      },
    );
    // Custom resources in the same tailnet wait for the chart, which installs their CRDs.
    tailnet._registerOperatorChart(this.chart);
    this.registerOutputs({ namespace: namespaceName });
  }

  /**
   * The namespace, unless it exists already. A `shared` one carries the Pod Security label only
   * when the sealed tailnet decides a construct runs privileged pods there.
   */
  #namespace(
    name: string,
    resolved: ResolvedTailscaleOperatorProps,
    tailnet: Tailnet,
    sealed: Promise<unknown>,
  ): k8s.core.v1.Namespace | undefined {
    const namespace = renderOperatorNamespace(resolved);
    if (!namespace) return undefined;
    const labels =
      resolved.namespaceMode === 'shared'
        ? sealed.then(() => {
            const privileged = tailnet.seal().report.operatorNamespace?.privileged ?? false;
            return renderOperatorNamespace(resolved, privileged)!.metadata.labels;
          })
        : namespace.metadata.labels;
    return new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: namespace.metadata.name, labels } },
      { parent: this },
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

  /**
   * The Secret the chart mounts by default, holding the OAuth client the tailnet creates. The
   * secret stays a secret output; the chart values hold no credential, so previews stay readable.
   */
  #oauthSecret(name: string, credentials: Promise<OperatorCredentialOutputs>): k8s.core.v1.Secret {
    const client = pulumi.output(credentials);
    return new k8s.core.v1.Secret(
      `${name}-oauth`,
      {
        metadata: {
          name: DEFAULT_OPERATOR_SECRET,
          namespace: this.namespace ? this.namespace.metadata.name : this.props.namespace,
        },
        stringData: {
          client_id: client.apply((c) => c.clientId ?? ''),
          client_secret: pulumi.secret(client.apply((c) => c.clientSecret ?? '')),
        },
      },
      { parent: this },
    );
  }
}

/** The chart's `oauth` block for workload identity: the federated identity's id and audience. */
function federatedOAuthValues(
  rendered: unknown,
  credentials: Promise<OperatorCredentialOutputs>,
): pulumi.Output<Record<string, unknown>> {
  const base = (rendered ?? {}) as Record<string, unknown>;
  return pulumi.output(credentials).apply((c) =>
    pulumi.all([c.clientId, c.audience]).apply(([clientId, audience]): Record<string, unknown> => ({
      ...base,
      ...(clientId !== undefined && { clientId }),
      ...(audience !== undefined && { audience }),
    })),
  );
}
