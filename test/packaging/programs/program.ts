// A Pulumi program's body, as a user writes it.
import { TailscaleOperator, type TailscaleOperatorArgs } from '@tailkube/pulumi';

export async function program(): Promise<{ namespace: string }> {
  const args: TailscaleOperatorArgs = { hostname: 'k8s-operator', defaultProxyTags: ['tag:k8s'] };
  const operator = new TailscaleOperator('operator', args);
  return { namespace: operator.props.namespace };
}

export function typeErrors(): void {
  // @ts-expect-error: not a log level
  const args: TailscaleOperatorArgs = { logging: 'verbose' };
  void args;
}
