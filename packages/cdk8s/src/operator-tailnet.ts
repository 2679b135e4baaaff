import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  operatorTailnetRequirements,
  renderOperatorTailnet,
  resolveOperatorTailnetProps,
  type IOperatorTailnet,
  type OperatorTailnetProps as CoreOperatorTailnetProps,
  type ResolvedOperatorTailnetProps,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link OperatorTailnet}. */
export interface OperatorTailnetProps extends CoreOperatorTailnetProps {}

/**
 * A further tailnet the operator manages devices in, with its own credentials: the operator's
 * cluster-scoped `Tailnet` object. Pass it as `operatorTailnet` to a Connector, ProxyGroup,
 * Recorder or PeerRelay. Named `OperatorTailnet` because {@link Tailnet} is the program's own
 * tailnet side.
 *
 * Tailnet side: nothing in this app's policy. `tailnet-requirements.json` gets a `tailnets.<name>`
 * entry: the client's least scopes and tags, and the policy entries that tailnet needs for the
 * constructs on it. A grant across tailnets is refused at the call.
 *
 * @see https://tailscale.com/kb/1236/kubernetes-operator
 */
export class OperatorTailnet extends Construct implements IOperatorTailnet {
  /** A reference to a `Tailnet` object the app does not own; renders nothing. */
  static fromName(name: string, clientTags?: readonly string[]): IOperatorTailnet {
    return { name, ...(clientTags !== undefined && { clientTags }) };
  }

  /** The props with every default applied. */
  readonly props: ResolvedOperatorTailnetProps;
  /** The `Tailnet` object's name. */
  readonly name: string;
  /** Tags on the tailnet's OAuth client. */
  readonly clientTags: readonly string[];
  /** The `Tailnet` object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: OperatorTailnetProps) {
    const path = pathOf('OperatorTailnet', scope, id);
    const resolved = resolveOperatorTailnetProps(path, id, props);
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(operatorTailnetRequirements(path, resolved), scope);
    super(scope, id);
    this.props = resolved;
    this.name = resolved.name;
    this.clientTags = resolved.clientTags;
    this.apiObject = toApiObject(this, 'Resource', renderOperatorTailnet(resolved));
  }
}
