import type { AccessIntent } from '@tailkube/core';
import {
  canConnect,
  capabilitiesAt,
  deriveTopology,
  validatePolicy,
  type PolicyDocument,
  type PolicyFault,
} from '@tailkube/policy';
import type { ProgramOutput } from './program-output';

/** One construct's intended access, checked. */
export interface IntentResult {
  readonly intent: AccessIntent;
  readonly ok: boolean;
  /** Why it does not hold. */
  readonly reason?: string;
}

/** The offline verdict on a synthesized policy. */
export interface OfflineCheck {
  readonly ok: boolean;
  /** Why the control plane would refuse the document. */
  readonly faults: readonly PolicyFault[];
  /** Each intended access of `tailnet-requirements.json`, evaluated on derived devices. */
  readonly intents: readonly IntentResult[];
}

/**
 * Checks a synthesized policy as the control plane would (`validatePolicy`) and evaluates every
 * construct's intended access in it, all of them rather than stopping at the first failure. The
 * derived devices carry no posture attributes, so access is evaluated for devices meeting every
 * posture, as the program's own check does.
 */
export function checkOffline(program: ProgramOutput): OfflineCheck {
  const verdict = validatePolicy(program.document);
  const faults = verdict.ok ? [] : verdict.errors;
  const intents = program.report?.intendedAccess ?? [];
  if (faults.length > 0 || intents.length === 0) return { ok: faults.length === 0, faults, intents: [] };
  const document = withPosturesMet(program.document);
  const topology = deriveTopology(
    document,
    intents.flatMap((intent) => [intent.src, intent.dst]),
  );
  const results = intents.map((intent): IntentResult => {
    const answer = canConnect(document, topology, {
      from: intent.src,
      to: intent.dst,
      port: intent.port,
      proto: intent.proto ?? 'tcp',
    });
    if (answer.allowed !== (intent.expect === 'allow'))
      return { intent, ok: false, reason: answer.explanation };
    if (intent.capability === undefined) return { intent, ok: true };
    const values = capabilitiesAt(document, topology, { from: intent.src, to: intent.dst }).capabilities[
      intent.capability
    ];
    if (values === undefined) {
      return {
        intent,
        ok: false,
        reason: `no rule gives ${intent.src} ${intent.capability} at ${intent.dst}`,
      };
    }
    const wanted = JSON.stringify(intent.capabilityValue);
    const held =
      intent.capabilityValue === undefined || (values ?? []).some((v) => JSON.stringify(v) === wanted);
    return held
      ? { intent, ok: true }
      : { intent, ok: false, reason: `${intent.capability} holds ${JSON.stringify(values)}, not ${wanted}` };
  });
  return { ok: results.every((result) => result.ok), faults, intents: results };
}

function withPosturesMet(document: PolicyDocument): PolicyDocument {
  if (document.postures === undefined) return document;
  return {
    ...document,
    postures: Object.fromEntries(Object.keys(document.postures).map((name) => [name, []])),
  };
}
