import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import type * as tailscale from '@pulumi/tailscale';
import {
  argsObject,
  checkedConstructPath,
  operatorTailnetRequirements,
  renderOperatorTailnet,
  resolveOperatorTailnetProps,
  type IOperatorTailnet,
  type OperatorTailnetProps,
  type ResolvedOperatorTailnetProps,
} from '@tailkube/core/internal';
import { customResourceArgs } from './private/custom-resource';
import { tailnetFor, type Tailnet, type TailnetClientOutputs } from './tailnet';

/** Arguments of the Pulumi {@link OperatorTailnet}: the shared props, plus where it registers. */
export interface OperatorTailnetArgs extends OperatorTailnetProps {
  /**
   * The program's tailnet, which records the further tailnet's requirements (never in its policy).
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
  /**
   * A Tailscale provider authenticated to that tailnet (with the `policy_file` and `oauth_keys`
   * scopes, or an API key). With it the program writes that tailnet's policy (`tailscale.Acl`,
   * the requirements merged into `basePolicy`), creates its OAuth client with the least scopes
   * derived for it and the client tags, and writes the Secret `credentials.secretName` in the
   * operator's namespace: no human copies a secret. Needs a TailscaleOperator in the program.
   *
   * @default - the Secret exists already; `requirements.tailnets.<name>` says what its client needs
   */
  readonly provider?: tailscale.Provider;
  /**
   * With `provider`: whether the first write of that tailnet's policy may replace one edited
   * outside this program (the control plane refuses that write otherwise).
   *
   * @default false
   */
  readonly overwriteExistingPolicy?: boolean;
}

/**
 * A further tailnet the operator manages devices in, with its own credentials: the operator's
 * cluster-scoped `Tailnet` object, a `tailscale.com/v1alpha1` custom resource that waits for the
 * operator's chart. Pass it as `operatorTailnet` to a Connector, ProxyGroup, Recorder or
 * PeerRelay. Named `OperatorTailnet` because {@link Tailnet} is the program's own tailnet side.
 *
 * Tailnet side: nothing in this program's policy. The tailnet's `requirements` output gets a
 * `tailnets.<name>` entry: the client's least scopes and tags, and the policy entries that tailnet
 * needs. A grant across tailnets is refused at the call.
 *
 * @see https://tailscale.com/kb/1236/kubernetes-operator
 */
export class OperatorTailnet extends pulumi.ComponentResource implements IOperatorTailnet {
  /** A reference to a `Tailnet` object the program does not own; creates nothing. */
  static fromName(name: string, clientTags?: readonly string[]): IOperatorTailnet {
    return { name, ...(clientTags !== undefined && { clientTags }) };
  }

  /** The props with every default applied. */
  readonly props: ResolvedOperatorTailnetProps;
  /** The `Tailnet` object's name. */
  readonly name: string;
  /** Tags on the tailnet's OAuth client. */
  readonly clientTags: readonly string[];
  /** The `Tailnet` custom resource. */
  readonly resource: k8s.apiextensions.CustomResource;
  /** The Secret holding the client the program creates, when `provider` is given. */
  readonly secret: k8s.core.v1.Secret | undefined;

  constructor(name: string, args: OperatorTailnetArgs, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('OperatorTailnet', '', name);
    const { tailnet: tailnetArg, provider, overwriteExistingPolicy, ...props } = argsObject(path, args);
    const resolved = resolveOperatorTailnetProps(path, name, props);
    const tailnet = tailnetFor(path, tailnetArg);
    tailnet.register(operatorTailnetRequirements(path, resolved));
    super('tailkube:index:OperatorTailnet', name, {}, opts);
    this.props = resolved;
    this.name = resolved.name;
    this.clientTags = resolved.clientTags;
    const client =
      provider && tailnet._manageTailnet(resolved.name, this, provider, overwriteExistingPolicy ?? false);
    this.secret = client && this.#clientSecret(name, resolved.credentials.secretName, client);
    // Waits for the operator's chart (the CRDs), when the tailnet has an operator, and its Secret.
    const secret = this.secret;
    const dependsOn: Promise<pulumi.Resource[]> = tailnet
      ._crdDependencies()
      .then((crds) => [...crds, ...(secret ? [secret] : [])]);
    this.resource = new k8s.apiextensions.CustomResource(
      name,
      customResourceArgs(renderOperatorTailnet(resolved)),
      { parent: this, dependsOn },
    );
    this.registerOutputs({ name: resolved.name });
  }

  /** The Secret the `Tailnet` object names, holding the created client; the secret stays secret. */
  #clientSecret(name: string, secretName: string, client: Promise<TailnetClientOutputs>): k8s.core.v1.Secret {
    // Each value on its own: wrapping the whole client would make the namespace secret too.
    const dependsOn: Promise<pulumi.Resource[]> = client.then((c) => [...c.dependsOn]);
    return new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: secretName, namespace: client.then((c) => c.namespace) },
        stringData: {
          client_id: pulumi.output(client.then((c) => c.clientId)),
          client_secret: pulumi.secret(pulumi.output(client.then((c) => c.clientSecret))),
        },
      },
      { parent: this, dependsOn },
    );
  }
}
