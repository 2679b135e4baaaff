import * as pulumi from '@pulumi/pulumi';

/** A resource a program registered under mocks, with the inputs it was given. */
export interface MockedResource {
  /** The type token, such as `kubernetes:core/v1:Namespace`. */
  readonly type: string;
  /** The resource name. */
  readonly name: string;
  /**
   * The inputs, resolved. A secret input stays wrapped as Pulumi sends it,
   * `{ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value }`, so a test
   * can see that it is still a secret and read its `value`.
   */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** What {@link runWithMocks} returns. */
export interface MockRun<T> {
  /** What the program returned. */
  readonly result: T;
  /** Every resource registered, in registration order. */
  readonly resources: readonly MockedResource[];
}

/** Options of {@link runWithMocks}. */
export interface MockRunOptions {
  /** @default 'tailkube' */
  readonly project?: string;
  /** @default 'test' */
  readonly stack?: string;
}

/** Outputs the providers would compute, so that programs reading them see plausible values. */
const COMPUTED: Readonly<Record<string, (name: string) => Record<string, unknown>>> = {
  'tailscale:index/oauthClient:OauthClient': (name) => ({ key: `mock-secret-of-${name}` }),
  'tailscale:index/federatedIdentity:FederatedIdentity': (name) => ({
    audience: `api.tailscale.com/${name}`,
  }),
};

/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` and returns what it registered. The one
 * mock setup tailkube's tests and users' tests share: `runPulumi` of `@tailkube/testing` builds on
 * it, adding the tailnet's policy and access matchers. Create resources inside `program`, after the
 * mocks are set.
 */
export async function runWithMocks<T>(
  program: () => Promise<T> | T,
  options: MockRunOptions = {},
): Promise<MockRun<T>> {
  const resources: MockedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...COMPUTED[args.type]?.(args.name) } };
      },
      call(args) {
        return args.inputs;
      },
    },
    options.project ?? 'tailkube',
    options.stack ?? 'test',
    false,
  );
  const result = await program();
  await settle(resources);
  return { result, resources };
}

/** Waits until no registration is in flight: the count stays the same over a few turns. */
async function settle(resources: readonly unknown[]): Promise<void> {
  let stableTurns = 0;
  let last = -1;
  while (stableTurns < 20) {
    await new Promise((resolve) => setImmediate(resolve));
    stableTurns = resources.length === last ? stableTurns + 1 : 0;
    last = resources.length;
  }
}
