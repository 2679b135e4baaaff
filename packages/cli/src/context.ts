import { TailscaleClient } from './api/client';
import { resolveApiSettings, type ApiFlags } from './settings';

/** Where a command writes, and what it reads its settings from. */
export interface Io {
  /** The command's result: text, or JSON with `--json`. */
  readonly stdout: (text: string) => void;
  /** Errors and notes. */
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** The flags every command takes. */
export interface GlobalFlags extends ApiFlags {
  /** Print one JSON document for machines instead of text. */
  readonly json?: boolean;
}

/** What a command runs with. */
export interface CommandContext {
  readonly io: Io;
  readonly flags: GlobalFlags;
  /** The API client, built on first use, so offline commands need no credentials. */
  readonly client: () => TailscaleClient;
}

/** A context whose client is resolved from the environment and flags on first use. */
export function commandContext(io: Io, flags: GlobalFlags): CommandContext {
  let client: TailscaleClient | undefined;
  return {
    io,
    flags,
    client: () => (client ??= new TailscaleClient(resolveApiSettings(io.env, flags))),
  };
}

/** Prints `value` as the command's JSON result. */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
