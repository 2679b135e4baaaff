import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  REPLACE_ON_CHANGES,
  argsObject,
  checkedConstructPath,
  recorderHostnames,
  recorderRequirements,
  recorderUiAllowance,
  renderRecorder,
  resolveRecorderProps,
  type Allowance,
  type AllowOptions,
  type IRecorder,
  type Principal,
  type RecorderProps,
  type ResolvedRecorderProps,
  type ITailnetPrincipal,
  tailnetPlacement,
} from '@tailkube/core/internal';
import { customResourceArgs } from './private/custom-resource';
import { tailnetFor, type Tailnet } from './tailnet';

/** Arguments of the Pulumi {@link Recorder}: the shared props, plus where it registers. */
export interface RecorderArgs extends RecorderProps {
  /**
   * The tailnet that receives the Recorder's requirements.
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

/**
 * A session recorder (`tsrecorder`) run by the operator, for recordings of `kubectl exec`,
 * `attach` and `debug` sessions through the API server proxy. A cluster-scoped
 * `tailscale.com/v1alpha1` custom resource that waits for the operator's chart (its CRD). Pass it
 * to `ApiServerProxy.grantAccess(..., { recorder })`.
 *
 * A device keeps the tags it joined with, so a change of `tags` replaces the resource
 * (`replaceOnChanges`). {@link Recorder.allow} says who may reach its UI.
 *
 * Tailscale has stopped offering session recording with the operator to new users; support for
 * existing users ends in August 2027.
 *
 * @see https://tailscale.com/kb/1484/kubernetes-operator-deploying-tsrecorder
 */
export class Recorder extends pulumi.ComponentResource implements ITailnetPrincipal, IRecorder {
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
  /** The Recorder custom resource. */
  readonly resource: k8s.apiextensions.CustomResource;
  readonly #path: string;
  readonly #tailnet: Tailnet;

  /** Its devices' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.tags;
  }

  constructor(name: string, args: RecorderArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('Recorder', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveRecorderProps(path, name, props);
    const tailnet = tailnetFor(path, tailnetArg);
    const object = renderRecorder(resolved);
    tailnet._claimObjects(path, [object]);
    tailnet.register(recorderRequirements(path, resolved));
    super('tailkube:index:Recorder', name, {}, opts);
    this.#path = path;
    this.#tailnet = tailnet;
    this.props = resolved;
    this.name = resolved.name;
    this.tags = resolved.tags;
    this.tailnetName = tailnetPlacement(resolved.operatorTailnet).tailnet;
    this.hostnames = recorderHostnames(resolved);
    this.resource = new k8s.apiextensions.CustomResource(name, customResourceArgs(object), {
      parent: this,
      // Waits for the operator's chart (the CRDs), when the tailnet has an operator.
      dependsOn: tailnet._crdDependencies(),
      // A recorder's device keeps the tags and tailnet it joined with.
      replaceOnChanges: [...REPLACE_ON_CHANGES.Recorder],
    });
    this.registerOutputs({ name: resolved.name, hostnames: this.hostnames });
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
    this.#tailnet.register(requirements);
    return allowance;
  }
}
