import * as pulumi from '@pulumi/pulumi';
import {
  exposureAllowance,
  type Allowance,
  type AllowOptions,
  type ExposureTarget,
  type Principal,
} from '@tailkube/core/internal';
import type { Tailnet } from '../tailnet';

/** Where an exposed object lives. */
export interface ExposedIdentity {
  /** The Kubernetes object's name. */
  readonly name: string;
  /** The object's namespace. */
  readonly namespace: string;
}

/**
 * What `TailscaleService`, `TailscaleIngress` and `FunnelIngress` share: their identity on the
 * cluster and the tailnet, and the one `allow` verb. Each subclass registers its requirements
 * before calling `super`, so that nothing of it exists when the tailnet refuses them.
 */
export abstract class ExposureComponent extends pulumi.ComponentResource {
  /** The Kubernetes object's name. */
  readonly name: string;
  /** The object's namespace. */
  readonly namespace: string;
  /**
   * The hostname the operator will request: the first label of the MagicDNS name. The real name
   * comes from the object's status: a name already taken on the tailnet gets `-1`.
   */
  readonly hostname: string;
  /** The tags of the proxy's device, or of the Tailscale Service on a ProxyGroup. */
  readonly tags: readonly string[];
  readonly #target: ExposureTarget;
  readonly #tailnet: Tailnet;

  protected constructor(
    type: string,
    name: string,
    opts: pulumi.ComponentResourceOptions | undefined,
    exposed: {
      readonly target: ExposureTarget;
      readonly identity: ExposedIdentity;
      readonly tailnet: Tailnet;
    },
  ) {
    super(type, name, {}, opts);
    this.#target = exposed.target;
    this.#tailnet = exposed.tailnet;
    this.name = exposed.identity.name;
    this.namespace = exposed.identity.namespace;
    this.hostname = exposed.target.hostname;
    this.tags = exposed.target.tags;
  }

  /**
   * Lets `principals` reach it, and nothing more: a grant to exactly its tags (standalone) or its
   * `svc:` name (ProxyGroup), on the `ports` given (by default every port it serves). The access is
   * checked against the rendered policy, with a principal not named. Returns what was granted.
   *
   * @example
   * dashboard.allow(['group:eng']);
   */
  allow(principals: readonly Principal[], options: AllowOptions = {}): Allowance {
    const { allowance, requirements } = exposureAllowance(this.#target, principals, options);
    this.#tailnet.register(requirements);
    return allowance;
  }
}
