import * as fs from 'node:fs';
import { diffAccess, type AccessChange } from '../access';
import type { ApiDevice, LivePolicy } from '../api/client';
import { readRecord, recordPathFor, sha256 } from '../base-record';
import { printJson, type CommandContext } from '../context';
import { diffEntries, type EntryChange } from '../drift';
import { CliError } from '../errors';
import { withoutOwnedEntries } from '../owned-entries';
import { checkBaseFile, parsePolicyText } from '../policy-text';
import { readProgramOutput, type ProgramOutput } from '../program-output';
import { diffSections, type SectionDiff } from '../section-diff';
import { accessTopology } from '../topology';

/** Options of `tailkube diff`. */
export interface DiffOptions {
  /** The program's output directory. */
  readonly dir: string;
  /** The base file `pull` wrote; its ETag record sits beside it. */
  readonly base: string;
}

/** What changed in the tailnet since the recorded ETag. */
export type Drift =
  | { readonly state: 'none'; readonly etag: string }
  | {
      readonly state: 'changed';
      readonly from: string;
      readonly to: string;
      readonly entries: readonly EntryChange[];
    }
  | { readonly state: 'unknown'; readonly reason: string };

/** The exit status when the program's policy differs from the live one (`terraform plan -detailed-exitcode`). */
export const EXIT_CHANGES = 2;

/**
 * Compares the program's policy with the live one: the text by section, who can reach what
 * (offline, on the tailnet's devices and stand-ins for the program's), and what was edited in the
 * tailnet since the recorded ETag. Exits 0 when they match, {@link EXIT_CHANGES} when they differ.
 */
export async function diff(context: CommandContext, options: DiffOptions): Promise<number> {
  const program = readProgramOutput(options.dir);
  checkBaseFile(options.base);
  const client = context.client();
  const live = await client.getPolicy();
  const liveDocument = parsePolicyText(live.text, 'the live policy', 'fix it in the admin console').document;
  const { devices, note } = await listDevices(context);
  const sections = diffSections(live.text, program.text);
  const topology = accessTopology([liveDocument, program.document], devices);
  const access = diffAccess(liveDocument, program.document, topology);
  const drift = driftSince(options.base, program, live);
  const changed = sections.length > 0;
  if (context.flags.json) {
    printJson(context.io, {
      tailnet: client.tailnet,
      etag: live.etag,
      changed,
      sections,
      access,
      drift,
      devices: devices.length,
      ...(note !== undefined && { note }),
    });
  } else {
    context.io.stdout(
      render(client.tailnet, live.etag, program.policyPath, sections, access, drift, devices.length, note),
    );
  }
  return changed ? EXIT_CHANGES : 0;
}

/** The tailnet's devices; without the scope to list them, access is evaluated on stand-ins only. */
async function listDevices(
  context: CommandContext,
): Promise<{ readonly devices: readonly ApiDevice[]; readonly note?: string }> {
  try {
    return { devices: await context.client().listDevices() };
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { devices: [], note: `devices not listed, access evaluated on stand-ins only: ${error.message}` };
  }
}

/**
 * The live policy's edits since the recorded ETag: against the text it was recorded for, which is
 * the base file after a `pull`, or the program's policy after an `apply`, as long as it is unchanged.
 */
function driftSince(baseFile: string, program: ProgramOutput, live: LivePolicy): Drift {
  const record = readRecord(baseFile);
  if (record === undefined) {
    return {
      state: 'unknown',
      reason: `no ETag recorded (${recordPathFor(baseFile)}); run \`tailkube pull\``,
    };
  }
  if (record.etag === live.etag) return { state: 'none', etag: live.etag };
  // Compared without the entries tailkube owns: the program's own writes are not drift.
  const candidates = [
    ...(fs.existsSync(baseFile) ? [{ text: fs.readFileSync(baseFile, 'utf8'), source: baseFile }] : []),
    { text: program.text, source: program.policyPath },
  ].map((candidate) => ({ ...candidate, text: withoutOwnedEntries(candidate.text).text }));
  const then = candidates.find((candidate) => sha256(candidate.text) === record.sha256);
  if (then === undefined) {
    return {
      state: 'unknown',
      reason: `the live policy changed since ETag ${record.etag}, and the policy of that ETag is no longer on disk to compare; run \`tailkube pull\``,
    };
  }
  const before = parsePolicyText(
    then.text,
    then.source,
    'run `tailkube pull` to fetch the base again',
  ).document;
  const now = parsePolicyText(
    withoutOwnedEntries(live.text).text,
    'the live policy',
    'fix it in the admin console',
  );
  return { state: 'changed', from: record.etag, to: live.etag, entries: diffEntries(before, now.document) };
}

function render(
  tailnet: string,
  etag: string,
  policyPath: string,
  sections: readonly SectionDiff[],
  access: readonly AccessChange[],
  drift: Drift,
  devices: number,
  note: string | undefined,
): string {
  const out: string[] = [`Tailnet ${JSON.stringify(tailnet)} at ETag ${etag}, against ${policyPath}.`, ''];
  if (drift.state === 'changed') {
    out.push(`Drift: the live policy was edited since ETag ${drift.from}:`);
    for (const entry of drift.entries) out.push(`  ${formatEntry(entry)}`);
    if (drift.entries.length === 0) out.push('  (rewritten with the same entries)');
    out.push(
      '  Take the edit into the base with `tailkube pull` and synthesize again, or `apply --force` drops it.',
      '',
    );
  } else if (drift.state === 'unknown') {
    out.push(`Drift: unknown, ${drift.reason}.`, '');
  }
  if (sections.length === 0) {
    out.push("No change: the program's policy is the live one.");
    return `${out.join('\n')}\n`;
  }
  out.push('Policy text (- live, + program), by section:');
  for (const section of sections) {
    out.push('', `  ${section.section}`, ...section.lines.map((line) => `    ${line}`));
  }
  const evaluatedOn = `${devices} device${devices === 1 ? '' : 's'} of the tailnet and stand-ins for the tags and users the policies name`;
  out.push('', `Access (evaluated offline on ${evaluatedOn}):`);
  if (note !== undefined) out.push(`  note: ${note}`);
  if (access.length === 0) out.push('  no change in who can reach what');
  const width = Math.max(0, ...access.map((change) => `${change.src} -> ${change.dst}`.length));
  for (const change of access) {
    const mark = change.change === 'allowed' ? '+' : change.change === 'denied' ? '-' : '~';
    out.push(`  ${mark} ${`${change.src} -> ${change.dst}`.padEnd(width)}  ${change.what}  ${change.change}`);
  }
  out.push(
    '',
    `${sections.length} section${sections.length === 1 ? '' : 's'} differ, ${access.length} access change${access.length === 1 ? '' : 's'}; \`tailkube apply\` writes the program's policy.`,
  );
  return `${out.join('\n')}\n`;
}

function formatEntry(entry: EntryChange): string {
  if (entry.change === 'changed') return `~ ${entry.path}: ${entry.was ?? ''} -> ${entry.value}`;
  return `${entry.change === 'added' ? '+' : '-'} ${entry.path}: ${entry.value}`;
}
