import type { ControlPlaneVerdict } from '../api/client';
import { printJson, type CommandContext } from '../context';
import { checkOffline, type OfflineCheck } from '../offline-check';
import { readProgramOutput } from '../program-output';

/** Options of `tailkube check`. */
export interface CheckOptions {
  readonly dir: string;
  /** Also ask the control plane (`/acl/validate`), which runs the policy's `tests` on real devices. */
  readonly live: boolean;
}

/**
 * Checks the program's policy offline (valid as the control plane would judge it; every
 * construct's intended access holds) and, with `--live`, with the control plane. Exits 1 on any
 * failure.
 */
export async function check(context: CommandContext, options: CheckOptions): Promise<number> {
  const program = readProgramOutput(options.dir);
  const offline = checkOffline(program);
  const live = options.live ? await context.client().validatePolicy(program.text) : undefined;
  const ok = offline.ok && (live?.ok ?? true);
  if (context.flags.json) {
    printJson(context.io, { ok, file: program.policyPath, offline, ...(live && { live }) });
  } else {
    context.io.stdout(
      render(program.policyPath, offline, live, options.live ? context.client().tailnet : undefined),
    );
  }
  return ok ? 0 : 1;
}

/** The offline verdict as lines, for `check` and for `apply` when it refuses. */
export function renderOffline(policyPath: string, offline: OfflineCheck): string[] {
  const out = [`Offline checks of ${policyPath}:`];
  if (offline.faults.length === 0) out.push('  ok      the control plane would accept the policy');
  for (const fault of offline.faults) out.push(`  FAILED  ${fault.path}: ${fault.message}`);
  const held = offline.intents.filter((result) => result.ok).length;
  if (offline.intents.length > 0) {
    const mark = held === offline.intents.length ? 'ok    ' : 'FAILED';
    out.push(`  ${mark}  intended access: ${held} of ${offline.intents.length} hold`);
  }
  for (const { intent, ok, reason } of offline.intents) {
    if (ok) continue;
    const what = `${intent.src} -> ${intent.dst} ${intent.proto ?? 'tcp'}:${intent.port}${intent.capability ? ` ${intent.capability}` : ''}`;
    out.push(`          expected ${intent.expect}: ${what}: ${reason ?? ''}`);
  }
  return out;
}

function render(
  policyPath: string,
  offline: OfflineCheck,
  live: ControlPlaneVerdict | undefined,
  tailnet: string | undefined,
): string {
  const out = renderOffline(policyPath, offline);
  if (live !== undefined) {
    out.push('', `Control plane (/acl/validate on tailnet ${JSON.stringify(tailnet)}):`);
    out.push(live.ok ? '  ok      accepted, tests pass' : `  FAILED  ${live.message ?? 'rejected'}`);
    for (const error of live.errors) out.push(`          ${error}`);
    for (const warning of live.warnings) out.push(`  warning ${warning}`);
  }
  return `${out.join('\n')}\n`;
}
