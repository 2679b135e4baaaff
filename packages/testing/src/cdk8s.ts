import './cdk8s-peers';
import type { App } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import {
  ValidationError,
  namedList,
  type KubeObject,
  type TailnetRequirements,
} from '@tailkube/core/internal';
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
 * The construct at `path` in the app (`'chart/id'`, ids joined by `/`), to point a matcher at a
 * construct an app-building function created. Throws when no construct is there, naming the
 * children of the deepest scope found.
 *
 * @example
 * const app = buildApp();
 * expect(synthCdk8s(app)).toAllow('group:eng', constructAt(app, 'web/dashboard'), 443);
 */
export function constructAt(app: App, path: string): IConstruct {
  let scope: IConstruct = app;
  for (const id of path.split('/')) {
    const child = scope.node.tryFindChild(id);
    if (child === undefined) {
      const children = scope.node.children.map((c) => c.node.id);
      throw new ValidationError({
        path: 'constructAt',
        field: 'path',
        value: path,
        allowed: 'the path of a construct of the app, such as "chart/id"',
        hint: `${scope === app ? 'the app' : `'${scope.node.path}'`} has no child "${id}"; its children are ${namedList(children) || 'none'}`,
      });
    }
    scope = child;
  }
  return scope;
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
