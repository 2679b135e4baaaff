import {
  OperatorCredentials,
  ValidationError,
  operatorRequirements,
  resolveTailscaleOperatorProps,
  type TailnetRequirements,
} from '../../src/internal';

/** What a program's default `TailscaleOperator 'operator'` registers: it owns every proxy tag. */
export function defaultOperatorRequirements(): TailnetRequirements {
  const path = "TailscaleOperator 'operator'";
  const props = resolveTailscaleOperatorProps(
    path,
    {},
    {
      defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
      createsOAuthClient: false,
      createsFederatedIdentity: false,
    },
  );
  return operatorRequirements(path, props);
}

/** The `ValidationError` that `fn` throws; anything else fails the test. */
export function failure(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}
