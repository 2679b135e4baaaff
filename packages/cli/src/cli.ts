import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { isTailkubeError } from '@tailkube/policy';
import { DEFAULT_BASE_FILE } from './base-record';
import { access } from './commands/access';
import { apply } from './commands/apply';
import { check } from './commands/check';
import { diff } from './commands/diff';
import { pull } from './commands/pull';
import { commandContext, type GlobalFlags, type Io } from './context';
import { ACCESS_FORMATS, type AccessFormat } from './output/access-formats';
import { redact } from './redact';
import { DEFAULT_BASE_URL, DEFAULT_TAILNET, DEFAULT_TIMEOUT_SECONDS } from './settings';

/** Where `cdk8s synth` writes by default. */
const DEFAULT_DIR = 'dist';

const ENVIRONMENT = `
Environment:
  TAILSCALE_API_KEY              an API access token
  TAILSCALE_OAUTH_CLIENT_ID      an OAuth client (scopes: policy_file, devices:core:read),
  TAILSCALE_OAUTH_CLIENT_SECRET  used instead of the API key when set
  TAILSCALE_TAILNET              the tailnet (default "${DEFAULT_TAILNET}": the credentials' own)
  TAILSCALE_BASE_URL             the API (default ${DEFAULT_BASE_URL})
  HTTPS_PROXY, NO_PROXY          a proxy to reach the API through

Exit status: 0 success (diff: no change), 1 error, 2 (diff only) changes.`;

/**
 * Runs `tailkube` with `argv` (without the node and script paths) and resolves to its exit
 * status. Everything printed goes through `io`, with secrets and `tskey-…` values redacted.
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const safe: Io = {
    env: io.env,
    stdout: (text) => io.stdout(redact(text)),
    stderr: (text) => io.stderr(redact(text)),
  };
  let status = 0;
  const program = buildProgram(safe, (code) => {
    status = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    const message = error instanceof Error ? error.message : String(error);
    const prefix = isTailkubeError(error) ? '' : 'unexpected failure: ';
    safe.stderr(`tailkube: error: ${prefix}${message}\n`);
    return 1;
  }
}

/** The options of one command, global flags included, as commander parsed them. */
type Flags = GlobalFlags & Readonly<Record<string, string | boolean | undefined>>;

function buildProgram(io: Io, exit: (code: number) => void): Command {
  const output = { writeOut: io.stdout, writeErr: io.stderr };
  const program = new Command('tailkube')
    .description("Pull, diff, check and apply a tailkube program's tailnet policy against the live tailnet.")
    .version(version(), '-V, --version')
    .option('--tailnet <name>', 'the tailnet (overrides TAILSCALE_TAILNET)')
    .option('--base-url <url>', 'the Tailscale API (overrides TAILSCALE_BASE_URL)')
    .option('--oauth-client-id <id>', 'the OAuth client (overrides TAILSCALE_OAUTH_CLIENT_ID)')
    .option('--timeout <seconds>', `how long one API call may take (default ${DEFAULT_TIMEOUT_SECONDS})`)
    .option('--json', 'print one JSON document for machines')
    .addHelpText('after', ENVIRONMENT)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput(output);

  /** A command's action: its flags and `[dir]` argument in, its exit status out. */
  const run = (action: (flags: Flags, dir: string) => Promise<number> | number) =>
    async function (this: Command): Promise<void> {
      const [dir = DEFAULT_DIR] = this.processedArgs as (string | undefined)[];
      exit(await action(this.optsWithGlobals<Flags>(), dir));
    };
  const context = (flags: Flags) => commandContext(io, flags);
  const command = (name: string, description: string) =>
    program.command(name).description(description).exitOverride().configureOutput(output);
  const dirArgument = ['[dir]', "the program's output directory (a cdk8s dist/)", DEFAULT_DIR] as const;
  const baseOption = [
    '--base <file>',
    'the pulled base file, beside its ETag record',
    DEFAULT_BASE_FILE,
  ] as const;

  command('pull', "fetch the live policy (HuJSON, comments kept) as the program's base and record its ETag")
    .option('--out <file>', 'where to write it', DEFAULT_BASE_FILE)
    .action(run((flags) => pull(context(flags), { out: String(flags['out']) })));

  command('diff', "compare the program's policy with the live one: text by section, access, drift")
    .argument(...dirArgument)
    .option(...baseOption)
    .addHelpText('after', '\nExit status: 0 no change, 2 changes, 1 error.')
    .action(run((flags, dir) => diff(context(flags), { dir, base: String(flags['base']) })));

  command('check', "check the program's policy offline; with --live, with the control plane too")
    .argument(...dirArgument)
    .option('--live', "also validate with the control plane (/acl/validate), which runs the policy's tests")
    .action(run((flags, dir) => check(context(flags), { dir, live: flags['live'] === true })));

  command('apply', "write the program's policy, if it passes the checks and the tailnet is as pulled")
    .argument(...dirArgument)
    .option(...baseOption)
    .option('--force', 'write even if the live policy changed since the recorded ETag')
    .action(
      run((flags, dir) =>
        apply(context(flags), { dir, base: String(flags['base']), force: flags['force'] === true }),
      ),
    );

  command('access', "show who can reach what under the program's policy, offline")
    .argument(...dirArgument)
    .addOption(new Option('--format <format>', 'output format').choices(ACCESS_FORMATS).default('table'))
    .action(run((flags, dir) => access(context(flags), { dir, format: flags['format'] as AccessFormat })));

  return program;
}

/** The package's version, read beside the built code. */
function version(): string {
  const manifest = path.join(__dirname, '..', 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The real process's streams and environment. */
function processIo(): Io {
  return {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}
