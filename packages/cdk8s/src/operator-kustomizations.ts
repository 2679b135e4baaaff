import { Construct } from 'constructs';
import { renderFluxKustomizations, type FluxKustomizationsOptions } from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';

/** Props of {@link OperatorKustomizations}. */
export interface OperatorKustomizationsProps extends FluxKustomizationsOptions {}

/**
 * Two Flux `Kustomization`s that apply the operator's files, wait until it is ready, and only then
 * apply the files holding tailscale.com resources, whose CRDs the operator's chart installs.
 *
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#dependencies
 */
export class OperatorKustomizations extends Construct {
  constructor(scope: Construct, id: string, props: OperatorKustomizationsProps) {
    super(scope, id);
    const [operator, resources] = renderFluxKustomizations(props);
    toApiObject(this, 'Operator', operator!);
    toApiObject(this, 'Resources', resources!);
  }
}
