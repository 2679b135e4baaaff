import type { App } from 'cdk8s';
import { Construct } from 'constructs';
import type { KubeObject, TailnetRequirements } from '@tailkube/core';
import { Tailnet } from '@tailkube/cdk8s';
import type { SynthResult } from './result';
import { findSource } from './sources';

/**
 * Synthesizes a cdk8s app in memory: every chart's objects and the app's tailnet policy. Nothing is
 * written to disk; `app.synth()` still writes the same files.
 */
export function synthCdk8s(app: App): SynthResult {
  const objects = app.charts.flatMap((chart) => chart.toJson() as KubeObject[]);
  const synthesis = Tailnet.of(app).synth();
  return {
    objects,
    charts: [],
    policy: synthesis.document,
    policyText: synthesis.text,
    requirements: synthesis.report,
    constructRequirements: synthesis.requirements,
    sourceOf: (construct) => cdk8sSourceOf(app, synthesis.requirements, construct),
  };
}

/**
 * A cdk8s construct registers as `Kind 'node path'` (its scope's path and its id), and node paths
 * are unique in an app, so the path alone finds it.
 */
function cdk8sSourceOf(
  app: App,
  requirements: readonly TailnetRequirements[],
  construct: object,
): string | undefined {
  if (!Construct.isConstruct(construct) || construct.node.root !== app) return undefined;
  return findSource(requirements, construct.node.path);
}
