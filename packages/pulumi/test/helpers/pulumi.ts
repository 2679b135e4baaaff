import * as pulumi from '@pulumi/pulumi';
import type { MockRun, MockedResource } from '@tailkube/pulumi';

/**
 * Pulumi's wire signature of a secret value: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. The mock
 * monitor hands secret inputs to `newResource` in this form, so a test can see they stayed secret.
 */
export const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** A secret input as the mock monitor shows it. */
export function secretInput(value: unknown): Record<string, unknown> {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/** Whether any value in `input`, at any depth, is wrapped as a secret. */
export function containsSecret(input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return false;
  if ((input as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG) return true;
  return Object.values(input).some(containsSecret);
}

/** The value of an output, once known. */
export function promisify<T>(output: pulumi.OutputInstance<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => (resolve(value), value)));
}

/** Every registered resource of `type`, in registration order. */
export function ofType(run: MockRun<unknown>, type: string): MockedResource[] {
  return run.resources.filter((resource) => resource.type === type);
}

/** The one registered resource of `type`; fails the test when there is not exactly one. */
export function only(run: MockRun<unknown>, type: string): MockedResource {
  const found = ofType(run, type);
  expect(found.map((resource) => resource.name)).toHaveLength(1);
  return found[0]!;
}

/** Where `type` was registered among the run's resources. */
export function indexOf(run: MockRun<unknown>, type: string): number {
  const index = run.resources.findIndex((resource) => resource.type === type);
  expect(index).toBeGreaterThanOrEqual(0);
  return index;
}

/** A resource's options, as a transformation saw them when the resource was created. */
export interface CapturedOptions {
  readonly type: string;
  readonly name: string;
  readonly resource: pulumi.Resource;
  readonly opts: pulumi.ResourceOptions;
}

/**
 * The mock monitor does not pass resource options (`dependsOn`, `parent`) to `newResource`, so
 * tests see them through a transformation: pass `{ transformations: [capture.transformation] }`
 * to a component and every child it creates is recorded with its options.
 */
export function captureOptions(): {
  readonly transformation: pulumi.ResourceTransformation;
  readonly captured: CapturedOptions[];
} {
  const captured: CapturedOptions[] = [];
  return {
    captured,
    transformation: ({ type, name, resource, opts }) => {
      captured.push({ type, name, resource, opts });
      return undefined;
    },
  };
}

/** The resources `opts.dependsOn` names, resolved. */
export async function dependsOn(opts: pulumi.ResourceOptions): Promise<pulumi.Resource[]> {
  const input = opts.dependsOn;
  const deps: unknown = pulumi.Output.isInstance(input)
    ? await promisify(input as pulumi.Output<unknown>)
    : await input;
  if (deps === undefined) return [];
  const list = (Array.isArray(deps) ? deps : [deps]) as pulumi.Input<pulumi.Resource>[];
  return Promise.all(
    list.map((dep) => (pulumi.Output.isInstance(dep) ? promisify(dep) : Promise.resolve(dep))),
  );
}

/** The captured options of the one resource of `type`. */
export function capturedOf(captured: readonly CapturedOptions[], type: string): CapturedOptions {
  const found = captured.filter((entry) => entry.type === type);
  expect(found.map((entry) => entry.name)).toHaveLength(1);
  return found[0]!;
}
