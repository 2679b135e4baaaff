import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  recorderHostnames,
  recorderRequirements,
  recorderUiAllowance,
  renderRecorder,
  resolveRecorderProps,
  type Allowance,
  type AllowOptions,
  type IRecorder,
  type Principal,
  type RecorderProps as CoreRecorderProps,
  type ResolvedRecorderProps,
  type ITailnetPrincipal,
  tailnetPlacement,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link Recorder}. */
export interface RecorderProps extends CoreRecorderProps {}

/**
 * A session recorder (`tsrecorder`) run by the operator, for recordings of `kubectl exec`,
 * `attach` and `debug` sessions through the API server proxy. Cluster-scoped; put it in a chart
 * applied after the operator's (its CRD comes with the chart). Pass it to
 * `ApiServerProxy.grantAccess(..., { recorder })`.
 *
 * Tailnet side: its tags, owned by the operator's tag. The operator does not retag a recorder's
 * device: a change of tags needs a new Recorder. {@link Recorder.allow} says who may reach its UI.
 *
 * Tailscale has stopped offering session recording with the operator to new users; support for
 * existing users ends in August 2027.
 *
 * @see https://tailscale.com/kb/1484/kubernetes-operator-deploying-tsrecorder
 */
export class Recorder extends Construct implements ITailnetPrincipal, IRecorder {
  /** The props with every default applied. */
  readonly props: ResolvedRecorderProps;
  /** The Recorder object's name. */
  readonly name: string;
  /** The tags on the recorder's devices; the first is the one the proxy's capability names. */
  readonly tags: readonly string[];
  /** The `Tailnet` object its devices join; `undefined` for the operator's own tailnet. */
  readonly tailnetName: string | undefined;
  /** The hostnames the devices join with, `<name>-<i>`. */
  readonly hostnames: readonly string[];
  /** The Recorder object. */
  readonly apiObject: ApiObject;
  readonly #path: string;

  /** Its devices' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.tags;
  }

  constructor(scope: Construct, id: string, props: RecorderProps = {}) {
    const path = pathOf('Recorder', scope, id);
    const resolved = resolveRecorderProps(path, id, props);
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register(recorderRequirements(path, resolved), scope);
    super(scope, id);
    this.#path = path;
    this.props = resolved;
    this.name = resolved.name;
    this.tags = resolved.tags;
    this.tailnetName = tailnetPlacement(resolved.operatorTailnet).tailnet;
    this.hostnames = recorderHostnames(resolved);
    this.apiObject = toApiObject(this, 'Resource', renderRecorder(resolved));
  }

  /**
   * Lets `principals` reach the recorder's UI (`enableUI`), and nothing more: a grant to exactly its
   * tags on `tcp:443`, the one port the UI serves. The access is checked against the rendered
   * policy, with a principal not named. Returns what was granted.
   *
   * @example
   * recorder.allow(['group:security']);
   */
  allow(principals: readonly Principal[], options: AllowOptions = {}): Allowance {
    const { allowance, requirements } = recorderUiAllowance(this.#path, this.props, principals, options);
    Tailnet.of(this).register(requirements);
    return allowance;
  }
}
