import type { App } from 'cdk8s';
import type { KubeObject } from '@tailkube/core';
import { Tailnet } from '@tailkube/cdk8s';
import type { SynthResult } from './result';

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
  };
}
