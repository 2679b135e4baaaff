import './pulumi-peers';
import * as pulumi from '@pulumi/pulumi';
import type { KubeObject, TailnetRequirements } from '@tailkube/core/internal';
import {
  runWithMocks,
  tailnetProgram,
  type MockedResource,
  type Tailnet,
  type TailnetArgs,
} from '@tailkube/pulumi';
import type { ChartInstall, SynthResult } from './result';
import { findSource } from './sources';

/** Pulumi's marker of a secret value in serialized inputs. */
const SECRET_SIGNATURE = '4dabf18193072939515e22adb298388d';

/** What {@link runPulumi} returns: the synthesized result plus every registered resource. */
export interface PulumiRunResult<T> extends SynthResult {
  /** What the program returned. */
  readonly result: T;
  /** Every resource the program registered, with secret inputs shown as `[secret]`. */
  readonly resources: readonly MockedResource[];
}

/**
 * Runs a Pulumi program body under mocks, inside `tailnetProgram`, and returns what it registered
 * in the same shape as {@link synthCdk8s}: Kubernetes objects from their inputs, charts, the
 * policy the `tailscale.Acl` would apply, and the requirements.
 */
export async function runPulumi<T>(
  program: (tailnet: Tailnet) => Promise<T> | T,
  args: TailnetArgs = {},
): Promise<PulumiRunResult<T>> {
  let sealed: Tailnet | undefined;
  const run = await runWithMocks(() =>
    tailnetProgram(args, async (tailnet) => {
      sealed = tailnet;
      return program(tailnet);
    }),
  );
  const synthesis = sealed!.seal();
  const resources = run.resources.map((r) => ({
    ...r,
    inputs: redactSecrets(r.inputs) as Record<string, unknown>,
  }));
  return {
    result: run.result,
    resources,
    objects: resources.filter(isKubeObject).map((r) => r.inputs as unknown as KubeObject),
    charts: resources.filter((r) => r.type === 'kubernetes:helm.sh/v4:Chart').map(toChart),
    policy: synthesis.document,
    policyText: synthesis.text,
    requirements: synthesis.report,
    constructRequirements: synthesis.requirements,
    sourceOf: (construct) => pulumiSourceOf(synthesis.requirements, construct),
  };
}

/**
 * A tailkube component registers as `Kind 'name'`: the last part of its type token
 * (`tailkube:index:Connector`) and its resource name. A component of another type with the same
 * name as the only tailkube construct of that name (a wrapper) finds that construct.
 */
function pulumiSourceOf(requirements: readonly TailnetRequirements[], construct: object): string | undefined {
  if (!pulumi.Resource.isInstance(construct)) return undefined;
  const kind = pulumi.resourceType(construct).split(':').pop();
  return findSource(requirements, pulumi.resourceName(construct), kind);
}

function isKubeObject(resource: MockedResource): boolean {
  return (
    resource.type.startsWith('kubernetes:') && 'kind' in resource.inputs && 'apiVersion' in resource.inputs
  );
}

function toChart(resource: MockedResource): ChartInstall {
  const inputs = resource.inputs as Record<string, unknown>;
  return {
    name: resource.name,
    chart: String(inputs['chart']),
    version: String(inputs['version']),
    repository: String((inputs['repositoryOpts'] as { repo?: string } | undefined)?.repo ?? ''),
    namespace: String(inputs['namespace']),
    values: (inputs['values'] ?? {}) as Record<string, unknown>,
  };
}

/** Replaces every secret-wrapped value with `[secret]`. */
function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  if (SECRET_SIGNATURE in value && (value as Record<string, unknown>)[SECRET_SIGNATURE] !== undefined) {
    return '[secret]';
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v)]));
}
