import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  argsObject,
  checkedConstructPath,
  recorderHostnames,
  recorderRequirements,
  renderRecorder,
  resolveRecorderProps,
  type IRecorder,
  type RecorderProps,
  type ResolvedRecorderProps,
  type ITailnetPrincipal,
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
 * (`replaceOnChanges`).
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
  /** The hostnames the devices join with, `<name>-<i>`. */
  readonly hostnames: readonly string[];
  /** The Recorder custom resource. */
  readonly resource: k8s.apiextensions.CustomResource;

  /** Its devices' tags: what names it when it is passed as a principal. */
  get principalSelectors(): readonly string[] {
    return this.tags;
  }

  constructor(name: string, args: RecorderArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('Recorder', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveRecorderProps(path, name, props);
    const tailnet = tailnetFor(path, tailnetArg);
    tailnet.register(recorderRequirements(path, resolved));
    super('tailkube:index:Recorder', name, {}, opts);
    this.props = resolved;
    this.name = resolved.name;
    this.tags = resolved.tags;
    this.hostnames = recorderHostnames(resolved);
    this.resource = new k8s.apiextensions.CustomResource(name, customResourceArgs(renderRecorder(resolved)), {
      parent: this,
      // Waits for the operator's chart (the CRDs), when the tailnet has an operator.
      dependsOn: tailnet._crdDependencies(),
      // A recorder's device keeps the tags it joined with.
      replaceOnChanges: ['spec.tags'],
    });
    this.registerOutputs({ name: resolved.name, hostnames: this.hostnames });
  }
}
