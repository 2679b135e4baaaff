import type { Claim, TailnetRequirements } from './requirements';
import type { ResolvedRecorderProps } from '../validate/recorder';
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
