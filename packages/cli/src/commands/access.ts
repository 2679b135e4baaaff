import { accessMatrix } from '../access';
import type { CommandContext } from '../context';
import { formatAccess, type AccessFormat } from '../output/access-formats';
import { ownedEntries } from '../owned-entries';
import { readProgramOutput } from '../program-output';
import { accessTopology } from '../topology';

/** Options of `tailkube access`. */
export interface AccessOptions {
  readonly dir: string;
  readonly format: AccessFormat;
}

/**
 * Prints who can reach what under the program's policy, offline: each source and destination its
 * rules name, with the ports it allows and the capabilities it grants. `--json` is `--format json`.
 */
export function access(context: CommandContext, options: AccessOptions): number {
  const program = readProgramOutput(options.dir);
  const entries = accessMatrix(
    program.document,
    accessTopology([program.document]),
    ownedEntries(program.text),
  );
  context.io.stdout(formatAccess(entries, context.flags.json ? 'json' : options.format));
  return 0;
}
