import * as fs from 'node:fs';
import { parseHujson, type PolicyDocument } from '@tailkube/policy';
import { CliError } from './errors';

/** A policy file read from disk, parsed. */
export interface PolicyText {
  readonly text: string;
  readonly document: PolicyDocument;
}

/** Parses policy HuJSON, naming `source` and what to do (`remedy`) when it is malformed. */
export function parsePolicyText(text: string, source: string, remedy: string): PolicyText {
  const parsed = parseHujson(text);
  if (!parsed.ok) {
    const { line, column, error } = parsed.fault;
    throw new CliError(
      `${source} is not valid HuJSON: ${error} at line ${line}, column ${column}; ${remedy}`,
    );
  }
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    throw new CliError(`${source} must hold a HuJSON object such as {"grants": []}; ${remedy}`);
  }
  return { text, document: parsed.value as PolicyDocument };
}

/** Reads and parses the policy file at `file`. */
export function readPolicyText(file: string, remedy: string): PolicyText {
  return parsePolicyText(fs.readFileSync(file, 'utf8'), file, remedy);
}

/**
 * Fails when the pulled base file exists but is malformed: the program reads it as its base, so a
 * broken one would fail there later, far from the cause.
 */
export function checkBaseFile(file: string): void {
  if (fs.existsSync(file)) readPolicyText(file, 'fix it, or run `tailkube pull` to fetch it again');
}
