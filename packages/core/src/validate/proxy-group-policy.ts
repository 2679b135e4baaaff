import type { IProxyGroup, ProxyGroupType } from '../props/common';
import type { ProxyGroupPolicyProps } from '../props/proxy-group-policy';
import { checkEach, checkUnique, validateProps, type Rule, type Violation } from './rules';
import { checkNamespace, checkObjectName } from './scalars';
import { PROXY_GROUP_POLICY_SHAPE } from './props-shapes';
import { checkedProps } from './plain-data';

/** {@link ProxyGroupPolicyProps} with every default applied. */
export interface ResolvedProxyGroupPolicyProps {
  readonly name: string;
  readonly namespace: string;
  readonly ingress: readonly IProxyGroup<'ingress'>[];
  readonly egress: readonly IProxyGroup<'egress'>[];
}

interface CheckedProps {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly ingress: readonly IProxyGroup[];
  readonly egress: readonly IProxyGroup[];
}

/**
 * Applies defaults to a ProxyGroupPolicy's props and checks them, throwing the first
 * {@link ValidationError} for `path`. `defaultName` is the object name when the props give none;
 * `defaultNamespace` the namespace (a cdk8s chart's).
 */
export function resolveProxyGroupPolicyProps(
  path: string,
  defaultName: string,
  defaultNamespace: string | undefined,
  given: ProxyGroupPolicyProps,
): ResolvedProxyGroupPolicyProps {
  const props = checkedProps(path, given, PROXY_GROUP_POLICY_SHAPE);
  const checked: CheckedProps = {
    name: props.name ?? defaultName,
    namespace: props.namespace ?? defaultNamespace,
    ingress: props.ingress ?? [],
    egress: props.egress ?? [],
  };
  validateProps(path, checked, POLICY_RULES);
  return {
    name: checked.name,
    namespace: checked.namespace as string,
    ingress: checked.ingress as readonly IProxyGroup<'ingress'>[],
    egress: checked.egress as readonly IProxyGroup<'egress'>[],
  };
}

const POLICY_RULES: readonly Rule<CheckedProps>[] = [
  (p) => checkObjectName(p.name, 'name'),
  (p) =>
    p.namespace === undefined
      ? {
          field: 'namespace',
          value: undefined,
          allowed: 'the namespace whose Services and Ingresses the policy governs',
          hint: 'a ProxyGroupPolicy is namespaced: set `namespace` (in cdk8s, or give the chart one)',
        }
      : checkNamespace(p.namespace, 'namespace'),
  (p) => checkGroups('ingress', p.ingress),
  (p) => checkGroups('egress', p.egress),
];

/** Each listed group is of the list's type, named validly, and listed once. */
function checkGroups(field: ProxyGroupType, groups: readonly IProxyGroup[]): Violation | undefined {
  if (!Array.isArray(groups)) {
    return { field, value: groups, allowed: `a list of ${field} ProxyGroups` };
  }
  return (
    checkEach(field, groups, (group, itemField) =>
      group.proxyGroupType !== field
        ? {
            field: itemField,
            value: group.name,
            allowed: `a ProxyGroup of type "${field}"`,
            hint: `"${group.name}" is of type "${group.proxyGroupType}"`,
          }
        : checkObjectName(group.name, `${itemField}.name`),
    ) ??
    checkUnique(
      field,
      groups.map((group) => group.name),
    )
  );
}
