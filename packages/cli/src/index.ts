// The `tailkube` command, for programs that run it in-process (the executable is `bin.ts`).
export { main } from './cli';
export type { Io } from './context';
export { ACCESS_FORMATS, type AccessFormat } from './output/access-formats';
export { EXIT_CHANGES } from './commands/diff';
export { DEFAULT_BASE_FILE } from './base-record';
export { POLICY_FILE, REQUIREMENTS_FILE } from './program-output';
