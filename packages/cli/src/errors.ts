import { TailkubeError } from '@tailkube/policy';

/**
 * A failure the `tailkube` command reports in one line and exits 1 for: bad input, missing
 * credentials, an API that refused or did not answer. Its message never holds a secret.
 */
export class CliError extends TailkubeError {
  override name = 'CliError';
}
