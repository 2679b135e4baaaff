import { readRecord, recordPathFor, writeRecord } from '../base-record';
import { printJson, type CommandContext } from '../context';
import { CliError } from '../errors';
import { checkOffline } from '../offline-check';
import { checkBaseFile } from '../policy-text';
import { readProgramOutput } from '../program-output';
import { renderOffline } from './check';

/** Options of `tailkube apply`. */
export interface ApplyOptions {
  readonly dir: string;
  /** The base file `pull` wrote; its ETag record sits beside it. */
  readonly base: string;
  /** Write even if the tailnet's policy changed since the recorded ETag (no `If-Match`). */
  readonly force: boolean;
}

/**
 * Writes the program's policy to the tailnet: only after it passes the offline checks, and only
 * if the live policy is still the one of the recorded ETag (`If-Match`), unless `--force`. Records
 * the new ETag, so the next `apply` is guarded the same way.
 */
export async function apply(context: CommandContext, options: ApplyOptions): Promise<number> {
  const program = readProgramOutput(options.dir);
  checkBaseFile(options.base);
  const offline = checkOffline(program);
  if (!offline.ok) {
    if (context.flags.json) printJson(context.io, { applied: false, offline });
    else context.io.stdout(`${renderOffline(program.policyPath, offline).join('\n')}\n`);
    context.io.stderr('tailkube: error: the policy fails the offline checks; nothing was written\n');
    return 1;
  }
  const client = context.client();
  const record = readRecord(options.base);
  if (!options.force) {
    if (record === undefined) {
      throw new CliError(
        `no ETag recorded beside ${options.base} (${recordPathFor(options.base)}): run \`tailkube pull\` first, so the write cannot overwrite an edit made in the tailnet, or pass --force`,
      );
    }
    if (record.tailnet !== client.tailnet) {
      throw new CliError(
        `${recordPathFor(options.base)} records tailnet ${JSON.stringify(record.tailnet)}, not ${JSON.stringify(client.tailnet)}; pull from this tailnet first, or pass --force`,
      );
    }
  }
  const written = await client.setPolicy(program.text, options.force ? undefined : record?.etag);
  const recordFile = writeRecord(options.base, client.tailnet, written.etag, program.text, 'apply');
  if (context.flags.json) {
    printJson(context.io, { applied: true, tailnet: client.tailnet, etag: written.etag, record: recordFile });
  } else {
    const from = options.force ? 'unconditionally (--force)' : `over ETag ${record?.etag ?? ''}`;
    context.io.stdout(
      `Applied ${program.policyPath} to tailnet ${JSON.stringify(client.tailnet)} ${from}; it is now at ETag ${written.etag}.\n` +
        `Recorded the new ETag in ${recordFile}.\n`,
    );
  }
  return 0;
}
