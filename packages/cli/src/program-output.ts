import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TailnetReport } from '@tailkube/core';
import type { PolicyDocument } from '@tailkube/policy';
import { CliError } from './errors';
import { readPolicyText } from './policy-text';

/** The policy file a cdk8s program's `Tailnet` writes beside its charts. */
export const POLICY_FILE = 'tailnet-policy.hujson';
/** The requirements file beside it: OAuth scopes, tags, intended access. */
export const REQUIREMENTS_FILE = 'tailnet-requirements.json';

/** What a synthesized program left in its output directory. */
export interface ProgramOutput {
  /** The policy file's path, as given on the command line. */
  readonly policyPath: string;
  readonly text: string;
  readonly document: PolicyDocument;
  /** `tailnet-requirements.json`, when the directory has one. */
  readonly report?: TailnetReport;
}

/** Reads the synthesized policy (and requirements, if any) from `dir`. */
export function readProgramOutput(dir: string): ProgramOutput {
  const policyPath = path.join(dir, POLICY_FILE);
  if (!fs.existsSync(policyPath)) {
    const where = fs.existsSync(dir) ? `${dir} has no ${POLICY_FILE}` : `${dir} does not exist`;
    throw new CliError(
      `no synthesized policy in ${dir}: ${where}; synthesize the program first (\`cdk8s synth\` writes it to dist/), or name its output directory`,
    );
  }
  const { text, document } = readPolicyText(policyPath, 'synthesize the program again');
  const requirementsPath = path.join(dir, REQUIREMENTS_FILE);
  if (!fs.existsSync(requirementsPath)) return { policyPath, text, document };
  let report: Partial<TailnetReport> | null;
  try {
    report = JSON.parse(fs.readFileSync(requirementsPath, 'utf8')) as Partial<TailnetReport> | null;
  } catch (error) {
    throw new CliError(
      `${requirementsPath} is not JSON (${(error as Error).message}); synthesize the program again`,
    );
  }
  if (!Array.isArray(report?.intendedAccess)) {
    throw new CliError(
      `${requirementsPath} has no \`intendedAccess\` list, so it was not written by tailkube; synthesize the program again`,
    );
  }
  return { policyPath, text, document, report: report as TailnetReport };
}
