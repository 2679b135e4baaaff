import { ValidationError } from '@tailkube/policy';
import type { AllowOptions } from '../access';
import { RECORDER_UI_PORT } from '../props/recorder';
import type { ResolvedRecorderProps } from '../validate/recorder';
import { exposureAllowance, type ExposureAllowance } from './exposure';
import type { Claim, TailnetRequirements } from './requirements';

/** The hostnames of a Recorder's devices: each pod joins under its own name, `<name>-<i>`. */
export function recorderHostnames(props: ResolvedRecorderProps): string[] {
  return Array.from({ length: props.replicas }, (_, i) => `${props.name}-${i}`);
}

/** What a Recorder needs from the tailnet: its tags owned by the operator's, its hostnames. */
export function recorderRequirements(source: string, props: ResolvedRecorderProps): TailnetRequirements {
  return {
    source,
    proxyTags: props.tags,
    claims: [
      { kind: 'cluster-object', field: 'name', objectKind: 'Recorder', name: props.name },
      ...recorderHostnames(props).map((hostname): Claim => ({ kind: 'hostname', field: 'name', hostname })),
    ],
  };
}

/**
 * The access that lets `principals` reach the recorder's UI and nothing more: one grant to its
 * tags on `tcp:443`, checked offline like any exposure (each principal reaches it, the stand-in for
 * anyone else does not). Throws a {@link ValidationError} for `source` when the recorder serves no
 * UI, or on a bad principal or port.
 */
export function recorderUiAllowance(
  source: string,
  props: ResolvedRecorderProps,
  principals: unknown,
  options: AllowOptions = {},
): ExposureAllowance {
  if (!props.enableUI) {
    throw new ValidationError({
      path: source,
      field: 'enableUI',
      value: props.enableUI,
      allowed: 'true: `allow` lets principals reach the UI, and the recorder serves one only with `enableUI`',
      hint: 'set `enableUI: true` on the Recorder',
    });
  }
  const [hostname] = recorderHostnames(props);
  return exposureAllowance(
    { source, hostname: hostname!, tags: props.tags, ports: [{ port: RECORDER_UI_PORT }] },
    principals,
    options,
  );
}
