import { tailnetName, type TailnetReference } from '../props/operator-tailnet';
import type { TailnetRequirements } from './requirements';
import type { ResolvedOperatorTailnetProps } from '../validate/operator-tailnet';

/**
 * What an OperatorTailnet declares: its name held once in the cluster, and the client the
 * requirements written for that tailnet name (its Secret and tags). It adds nothing to the
 * main tailnet's policy.
 */
export function operatorTailnetRequirements(
  source: string,
  props: ResolvedOperatorTailnetProps,
): TailnetRequirements {
  return {
    source,
    tailnetDeclaration: {
      name: props.name,
      secretName: props.credentials.secretName,
      clientTags: props.clientTags,
      ...(props.loginUrl !== undefined && { loginUrl: props.loginUrl }),
      ...(props.basePolicy !== undefined && { basePolicy: props.basePolicy }),
    },
    claims: [{ kind: 'cluster-object', field: 'name', objectKind: 'Tailnet', name: props.name }],
  };
}

/**
 * Where a construct's requirements go: `{ tailnet }` for a construct on a further tailnet, nothing
 * for one on the operator's own.
 */
export function tailnetPlacement(reference: TailnetReference | undefined): { readonly tailnet?: string } {
  return reference === undefined ? {} : { tailnet: tailnetName(reference) };
}
