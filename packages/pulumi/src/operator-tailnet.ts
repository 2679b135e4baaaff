import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  constructPath,
  operatorTailnetRequirements,
  renderOperatorTailnet,
  resolveOperatorTailnetProps,
  type IOperatorTailnet,
  type OperatorTailnetProps,
  type ResolvedOperatorTailnetProps,
} from '@tailkube/core/internal';
import { customResourceArgs } from './private/custom-resource';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link OperatorTailnet}: the shared props, plus where it registers. */
export interface OperatorTailnetArgs extends OperatorTailnetProps {
  /**
   * The program's tailnet, which records the further tailnet's requirements (never in its policy).
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
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

  constructor(name: string, args: OperatorTailnetArgs, opts?: pulumi.ComponentResourceOptions) {
    const path = constructPath('OperatorTailnet', name);
    const { tailnet: tailnetArg, ...props } = args;
    const resolved = resolveOperatorTailnetProps(path, name, props);
    const tailnet = tailnetFor(path, tailnetArg);
    tailnet.register(operatorTailnetRequirements(path, resolved));
    super('tailkube:index:OperatorTailnet', name, {}, opts);
    this.props = resolved;
    this.name = resolved.name;
    this.clientTags = resolved.clientTags;
    // Waits for the operator's chart (the CRDs), when the tailnet has an operator.
    const dependsOn: Promise<pulumi.Resource[]> = tailnet._crdDependencies();
    this.resource = new k8s.apiextensions.CustomResource(
      name,
      customResourceArgs(renderOperatorTailnet(resolved)),
      { parent: this, dependsOn },
    );
    this.registerOutputs({ name: resolved.name });
  }
}
