import type { OperatorNamespaceMode } from '../props/tailscale-operator';
import { POD_SECURITY_ENFORCE_LABEL } from '../render/tailscale-operator';
import type { OperatorRequirement, TailnetRequirements } from '../tailnet/requirements';
import { namedList } from '../validate/rules';

/**
 * What the program decided about the operator's namespace, in the report when tailkube does not
 * own it alone (`namespaceMode` `shared` or `existing`).
 */
export interface OperatorNamespaceReport {
  /** The namespace. */
  readonly name: string;
  /** Who owns it. */
  readonly mode: OperatorNamespaceMode;
  /**
   * Whether it must admit privileged pods (`pod-security.kubernetes.io/enforce: privileged`):
   * tailkube labels a `shared` namespace so, and an `existing` one must carry the label already.
   */
  readonly privileged: boolean;
  /** The constructs whose proxies run privileged pods there, by source. */
  readonly privilegedBy: readonly string[];
}

/**
 * Whether the operator runs privileged pods for a construct: any construct with proxies unless it
 * says otherwise. This errs towards the label: standalone Ingresses (userspace proxies) and
 * Recorders do not need it yet count until their tailnet side says `privilegedPods: false`.
 */
function runsPrivilegedPods(requirements: TailnetRequirements): boolean {
  return (
    requirements.operator === undefined &&
    (requirements.privilegedPods ?? requirements.proxyTags !== undefined)
  );
}

/**
 * Decides the operator namespace's Pod Security label from every construct of the program: the
 * operator runs every proxy in its own namespace, so the namespace needs `privileged` as soon as
 * one construct's proxies do. A `dedicated` namespace is always labelled, so it returns
 * `undefined` for it (nothing to report).
 */
export function decideOperatorNamespace(
  operator: OperatorRequirement,
  requirements: readonly TailnetRequirements[],
): OperatorNamespaceReport | undefined {
  const mode = operator.namespaceMode ?? 'dedicated';
  if (mode === 'dedicated') return undefined;
  const privilegedBy = requirements.filter(runsPrivilegedPods).map((req) => req.source);
  return { name: operator.namespace, mode, privileged: privilegedBy.length > 0, privilegedBy };
}

/** The report's warning when an existing namespace must carry the label tailkube cannot set. */
export function existingNamespaceWarning(decision: OperatorNamespaceReport): string | undefined {
  if (decision.mode !== 'existing' || !decision.privileged) return undefined;
  return (
    `namespace "${decision.name}" is not managed by tailkube; label it ` +
    `${POD_SECURITY_ENFORCE_LABEL}=privileged, as the proxies of ${namedList(decision.privilegedBy)} ` +
    'run privileged pods there'
  );
}
