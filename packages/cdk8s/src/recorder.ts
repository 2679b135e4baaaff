import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  recorderHostnames,
  recorderRequirements,
  renderRecorder,
  resolveRecorderProps,
  type IRecorder,
  type RecorderProps as CoreRecorderProps,
  type ResolvedRecorderProps,
  type ITailnetPrincipal,
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
 * device: a change of tags needs a new Recorder.
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
  /** The hostnames the devices join with, `<name>-<i>`. */
  readonly hostnames: readonly string[];
  /** The Recorder object. */
  readonly apiObject: ApiObject;

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
    this.props = resolved;
    this.name = resolved.name;
    this.tags = resolved.tags;
    this.hostnames = recorderHostnames(resolved);
    this.apiObject = toApiObject(this, 'Resource', renderRecorder(resolved));
  }
}
