import * as fs from 'node:fs';
import { writeRecord } from '../base-record';
import { printJson, type CommandContext } from '../context';
import { withoutOwnedEntries } from '../owned-entries';
import { parsePolicyText } from '../policy-text';

/** Options of `tailkube pull`. */
export interface PullOptions {
  /** Where to write the live policy. */
  readonly out: string;
}

/**
 * Fetches the live policy as HuJSON (comments kept) into the program's base file, without the
 * entries a tailkube program owns, and records the ETag it was read at beside it.
 */
export async function pull(context: CommandContext, options: PullOptions): Promise<number> {
  const client = context.client();
  const live = await client.getPolicy();
  parsePolicyText(
    live.text,
    `the policy of tailnet ${JSON.stringify(client.tailnet)}`,
    'fix it in the admin console',
  );
  const base = withoutOwnedEntries(live.text);
  fs.writeFileSync(options.out, base.text);
  const record = writeRecord(options.out, client.tailnet, live.etag, base.text, 'pull');
  if (context.flags.json) {
    printJson(context.io, {
      tailnet: client.tailnet,
      etag: live.etag,
      file: options.out,
      record,
      ownedEntriesLeftOut: base.removed,
    });
  } else {
    context.io.stdout(
      `Pulled the policy of tailnet ${JSON.stringify(client.tailnet)} at ETag ${live.etag} into ${options.out}.\n` +
        (base.removed > 0
          ? `Left out the ${base.removed} entries a tailkube program owns ("// tailkube:"): the program writes them again.\n`
          : '') +
        `Recorded the ETag in ${record}: commit both, and give ${options.out} to the program as its basePolicy.\n`,
    );
  }
  return 0;
}
