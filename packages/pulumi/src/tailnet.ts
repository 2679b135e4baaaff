import { AsyncLocalStorage } from 'node:async_hooks';
import * as pulumi from '@pulumi/pulumi';
import * as tailscale from '@pulumi/tailscale';
import {
  DEFAULT_OPERATOR_SECRET,
  ObjectIdentities,
  TailnetModel,
  ValidationError,
  constructPath,
  type KubeObjectIdentity,
  boolean,
  checkedConstructPath,
  type TailnetModelProps,
  type TailnetReport,
  type TailnetRequirements,
  type TailnetSynthesis,
} from '@tailkube/core/internal';

const TAILNET_TYPE = 'tailkube:index:Tailnet';
/** The tailnet of a program that started while another ran (nested or concurrent), by async context. */
const current = new AsyncLocalStorage<Tailnet>();
/**
 * The tailnet of the program that started while no other ran: found without async context, because
 * tracking one (AsyncLocalStorage before Node 24) puts a hook on every promise of the process, and a
 * Pulumi program makes thousands per resource.
 */
let untracked: Tailnet | undefined;
/** Tailnets not yet sealed, by name, for the check at exit. */
const unsealed = new Map<Tailnet, string>();
/** Whether the exit check is installed: once per process, however many programs run in it. */
let exitCheckInstalled = false;

/** Arguments of a {@link Tailnet}. */
export interface TailnetArgs extends TailnetModelProps {
  /**
   * Whether the first write of the policy may replace one edited outside this program. The control
   * plane refuses that write otherwise, which protects edits made in the admin console.
   *
   * @default false
   */
  readonly overwriteExistingPolicy?: boolean;
}

/**
 * What the operator's chart needs from the tailnet once the policy is complete: its client's
 * credentials (secret outputs) and the resources to wait for.
 */
export interface OperatorCredentialOutputs {
  /** The OAuth client or federated identity id. */
  readonly clientId?: pulumi.Output<string>;
  /** The OAuth client secret, always a secret output. */
  readonly clientSecret?: pulumi.Output<string>;
  /** The federated identity's audience. */
  readonly audience?: pulumi.Output<string>;
  /** The policy and credentials, which the operator must not start before. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** A further tailnet's OAuth client, created with that tailnet's provider once the policy is complete. */
export interface TailnetClientOutputs {
  /** The OAuth client's id. */
  readonly clientId: pulumi.Output<string>;
  /** The OAuth client's secret, always a secret output. */
  readonly clientSecret: pulumi.Output<string>;
  /** The operator's namespace, where the client's Secret goes. */
  readonly namespace: string;
  /** That tailnet's policy and the client, which the Secret must not be written before. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** How a further tailnet's policy and client are created. @internal */
interface ManagedTailnet {
  readonly provider: tailscale.Provider;
  readonly overwriteExistingPolicy: boolean;
  readonly parent: pulumi.Resource;
  readonly client: { promise: Promise<TailnetClientOutputs>; resolve: (value: TailnetClientOutputs) => void };
}

/**
 * The tailnet side of a Pulumi program: collects what every tailkube component needs, then creates
 * the policy (`tailscale.Acl`) and the operator's OAuth client or federated identity, in that order.
 *
 * Pulumi has no synth phase, so the policy is rendered when the program says it is complete: wrap
 * the program in {@link tailnetProgram}, or call {@link Tailnet.seal} after the last component. An
 * unsealed tailnet is reported when the process exits; a component created after sealing throws.
 */
export class Tailnet extends pulumi.ComponentResource {
  /** The tailnet of the enclosing {@link tailnetProgram}, if any. */
  static current(): Tailnet | undefined {
    return current.getStore() ?? untracked;
  }

  /** The rendered policy (HuJSON), once sealed. */
  readonly policy: pulumi.Output<string>;
  /** The OAuth scopes, tags and access the program needs, once sealed. */
  readonly requirements: pulumi.Output<TailnetReport>;

  readonly #name: string;
  readonly #args: TailnetArgs;
  readonly #model: TailnetModel;
  readonly #objects = new ObjectIdentities();
  readonly #synthesized = deferred<TailnetSynthesis>();
  readonly #credentials = deferred<OperatorCredentialOutputs>();
  readonly #crdDependencies = deferred<pulumi.Resource[]>();
  #operatorChart: pulumi.Resource | undefined;
  readonly #managed = new Map<string, ManagedTailnet>();

  constructor(name: string, args: TailnetArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super(TAILNET_TYPE, name, {}, opts);
    this.#name = name;
    this.#args = args;
    this.#model = new TailnetModel(checkedConstructPath('Tailnet', '', name), args, {
      overwriteExistingPolicy: boolean,
    });
    this.policy = pulumi.output(this.#synthesized.promise.then((s) => s.text));
    this.requirements = pulumi.output(this.#synthesized.promise.then((s) => s.report));
    unsealed.set(this, name);
    if (!exitCheckInstalled) {
      exitCheckInstalled = true;
      process.on('beforeExit', reportUnsealed);
    }
  }

  /**
   * Records what a component needs; throws once the tailnet is sealed.
   *
   * @internal
   */
  register(requirements: TailnetRequirements): void {
    this.#model.register(requirements);
  }

  /**
   * Records the Kubernetes objects a component declares; throws when another component of the
   * program declared one with the same identity (kind, namespace, name).
   *
   * @internal
   */
  _claimObjects(source: string, objects: readonly KubeObjectIdentity[]): void {
    for (const object of objects) this.#objects.claim(source, object);
  }

  /** The operator's credentials, available once the tailnet is sealed. @internal */
  _operatorCredentials(): Promise<OperatorCredentialOutputs> {
    return this.#credentials.promise;
  }

  /**
   * Records that a further tailnet's policy and OAuth client are to be created with `provider`
   * when the tailnet is sealed; resolves to the client. @internal
   */
  _manageTailnet(
    name: string,
    parent: pulumi.Resource,
    provider: tailscale.Provider,
    overwriteExistingPolicy: boolean,
  ): Promise<TailnetClientOutputs> {
    const client = deferred<TailnetClientOutputs>();
    this.#managed.set(name, { provider, overwriteExistingPolicy, parent, client });
    return client.promise;
  }

  /** Records the operator's chart, which installs the tailscale.com CRDs. @internal */
  _registerOperatorChart(chart: pulumi.Resource): void {
    this.#operatorChart = chart;
  }

  /**
   * What a tailscale.com custom resource (Connector, ProxyClass, …) must wait for: the operator's
   * chart, when the program has an operator. Known once the tailnet is sealed, so an operator
   * declared after the resource counts too. @internal
   */
  _crdDependencies(): Promise<pulumi.Resource[]> {
    return this.#crdDependencies.promise;
  }

  /**
   * Renders the policy and creates the tailnet resources. Call it after the last component; later
   * calls return the same result.
   */
  seal(): TailnetSynthesis {
    if (this.#model.sealed) return this.#model.seal();
    unsealed.delete(this);
    const synthesis = this.#model.seal();
    const acl = new tailscale.Acl(
      `${this.#name}-policy`,
      { acl: synthesis.text, overwriteExistingContent: this.#args.overwriteExistingPolicy ?? false },
      { parent: this },
    );
    this.#credentials.resolve(this.#createCredentials(synthesis.report, acl));
    this.#createTailnetClients(synthesis);
    this.#synthesized.resolve(synthesis);
    this.#crdDependencies.resolve(this.#operatorChart ? [this.#operatorChart] : []);
    this.registerOutputs({ policy: this.policy, requirements: this.requirements });
    return synthesis;
  }

  /**
   * Drops the tailnet from the exit check, when its program failed and already reported.
   *
   * @internal
   */
  _abandon(): void {
    unsealed.delete(this);
  }

  /**
   * Each further tailnet given a provider: its policy, then its OAuth client with the least scopes
   * derived for it and its client tags (which the policy declares, so it comes first).
   */
  #createTailnetClients(synthesis: TailnetSynthesis): void {
    for (const [name, managed] of this.#managed) {
      const required = synthesis.report.tailnets?.[name];
      const text = synthesis.tailnetPolicies[name];
      if (required === undefined || text === undefined) continue;
      const namespace = synthesis.report.operator?.namespace;
      if (namespace === undefined) {
        throw new ValidationError({
          path: constructPath('OperatorTailnet', name),
          field: 'provider',
          value: 'a provider without a TailscaleOperator in the program',
          allowed: "a program with a TailscaleOperator: the client's Secret goes to its namespace",
          hint: 'add the TailscaleOperator, or create the Secret yourself and leave `provider` out',
        });
      }
      const opts = { parent: managed.parent, provider: managed.provider };
      const acl = new tailscale.Acl(
        `${name}-policy`,
        { acl: text, overwriteExistingContent: managed.overwriteExistingPolicy },
        opts,
      );
      const client = new tailscale.OauthClient(
        `${name}-oauth`,
        {
          description: `tailkube: Tailscale Kubernetes Operator (tailnet ${name})`,
          scopes: [...required.client.scopes],
          tags: [...required.client.tags],
        },
        { ...opts, dependsOn: [acl] },
      );
      managed.client.resolve({
        clientId: client.id,
        clientSecret: pulumi.secret(client.key),
        namespace,
        dependsOn: [acl, client],
      });
    }
  }

  #createCredentials(report: TailnetReport, acl: tailscale.Acl): OperatorCredentialOutputs {
    const operator = report.operator;
    // The client's tags must exist in the policy before the client is created.
    const opts = { parent: this, dependsOn: [acl] };
    const description = 'tailkube: Tailscale Kubernetes Operator';
    if (operator?.credentials.kind === 'oauth-client') {
      const client = new tailscale.OauthClient(
        // The name of the Secret the chart mounts: the client stands for it.
        `${this.#name}-${DEFAULT_OPERATOR_SECRET}`,
        { description, scopes: [...operator.scopes], tags: [...operator.tags] },
        opts,
      );
      return { clientId: client.id, clientSecret: pulumi.secret(client.key), dependsOn: [acl, client] };
    }
    if (operator?.credentials.kind === 'workload-identity' && operator.credentials.clientId === undefined) {
      const identity = new tailscale.FederatedIdentity(
        `${this.#name}-operator-identity`,
        {
          description,
          issuer: operator.credentials.issuer,
          subject: operator.credentials.subject,
          ...(operator.credentials.audience !== undefined && { audience: operator.credentials.audience }),
          scopes: [...operator.scopes],
          tags: [...operator.tags],
        },
        opts,
      );
      return { clientId: identity.id, audience: identity.audience, dependsOn: [acl, identity] };
    }
    return { dependsOn: [acl] };
  }
}

/**
 * Runs a Pulumi program with a {@link Tailnet} in scope and seals it when the program returns, so
 * the policy cannot be forgotten and holds everything the program declared, across `await`s.
 * Programs that run at the same time (nested or concurrent) each see their own tailnet; a component
 * created outside while a single program runs joins that program's tailnet.
 *
 * @example
 * export = tailnetProgram({}, async () => {
 *   new TailscaleOperator('operator');
 * });
 */
export async function tailnetProgram<T>(
  args: TailnetArgs & { readonly name?: string },
  program: (tailnet: Tailnet) => Promise<T> | T,
): Promise<T> {
  const { name = 'tailnet', ...tailnetArgs } = args;
  const tailnet = new Tailnet(name, tailnetArgs);
  // The first program is the one running; one that starts while another runs (or inside one that
  // is tracked) is tracked by async context, so that nested and concurrent programs each see their
  // own tailnet.
  const tracked = untracked !== undefined || current.getStore() !== undefined;
  if (!tracked) untracked = tailnet;
  try {
    const result = await (tracked ? current.run(tailnet, () => program(tailnet)) : program(tailnet));
    tailnet.seal();
    return result;
  } catch (error) {
    tailnet._abandon();
    throw error;
  } finally {
    if (!tracked) untracked = undefined;
  }
}

/** The tailnet a component registers with: its `tailnet` arg, or the enclosing program's. */
export function tailnetFor(path: string, tailnet: Tailnet | undefined): Tailnet {
  const found = tailnet ?? Tailnet.current();
  if (found) return found;
  throw new ValidationError({
    path,
    field: 'tailnet',
    value: undefined,
    allowed: 'a Tailnet',
    hint: 'create the component inside `tailnetProgram(...)`, or pass `tailnet` in its args',
  });
}

function reportUnsealed(): void {
  if (unsealed.size === 0) return;
  const names = [...unsealed.values()].map((name) => `'${name}'`).join(', ');
  console.error(
    `tailkube: Tailnet ${names} was never sealed, so its policy and credentials were not created. ` +
      'Wrap the program in tailnetProgram(...) or call tailnet.seal() after the last component.',
  );
  process.exitCode = 1;
  // Reported once: `beforeExit` fires again if anything schedules more work.
  unsealed.clear();
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
