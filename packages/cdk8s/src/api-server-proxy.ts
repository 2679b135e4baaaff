import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ApiServerProxyAccess,
  kubeconfigCommand,
  resolveApiServerProxyProps,
  type ApiServerProxyAccessOptions,
  type ApiServerProxyGrant,
  type ApiServerProxyMode,
  type Principal,
  type ApiServerProxyProps as CoreApiServerProxyProps,
  type ResolvedApiServerProxyProps,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';
import { TailscaleOperator } from './tailscale-operator';

/** Props of the cdk8s {@link ApiServerProxy}. */
export interface ApiServerProxyProps extends CoreApiServerProxyProps {}

/**
 * The Kubernetes API server proxy: `kubectl` over the tailnet, in the operator's process (its
 * chart values are set) or on a `kube-apiserver` ProxyGroup. {@link ApiServerProxy.grantAccess}
 * writes, from one call, the `tailscale.com/cap/kubernetes` grant to the proxy's device tags and
 * the ClusterRoleBindings of the impersonated groups, and records the access for the offline check.
 *
 * Point `kubectl` at it with {@link ApiServerProxy.kubeconfigCommand}.
 *
 * @see https://tailscale.com/kb/1437/kubernetes-operator-api-server-proxy
 */
export class ApiServerProxy extends Construct {
  /** The props with every default applied and the placement worked out. */
  readonly props: ResolvedApiServerProxyProps;
  /** The proxy's mode. */
  readonly mode: ApiServerProxyMode;
  /** The hostname clients reach the proxy at. */
  readonly hostname: string;
  /** The command that points `kubectl` at the proxy: `tailscale configure kubeconfig <hostname>`. */
  readonly kubeconfigCommand: string;
  /** The ClusterRoleBindings created so far, by object name. */
  readonly clusterRoleBindings: ReadonlyMap<string, ApiObject>;
  readonly #access: ApiServerProxyAccess;
  readonly #bindings = new Map<string, ApiObject>();

  constructor(scope: Construct, id: string, props: ApiServerProxyProps) {
    const path = pathOf('ApiServerProxy', scope, id);
    const resolved = resolveApiServerProxyProps(path, id, props);
    const access = new ApiServerProxyAccess(path, resolved);
    // The operator's chart learns what the proxy needs; an operator the program does not own
    // needs its `apiServerProxyConfig` set where it is installed.
    if (TailscaleOperator.isTailscaleOperator(props.operator)) {
      props.operator._useApiServerProxy(path, { placement: resolved.placement, mode: resolved.mode });
    }
    // Registered before the construct joins the tree: a tailnet that already rendered its policy
    // throws here, and then nothing of this construct is left behind.
    Tailnet.of(scope).register({ source: path });
    super(scope, id);
    this.#access = access;
    this.props = resolved;
    this.mode = resolved.mode;
    this.hostname = resolved.hostname;
    this.kubeconfigCommand = kubeconfigCommand(resolved);
    this.clusterRoleBindings = this.#bindings;
  }

  /**
   * Gives `principals` (users, `group:`, `tag:`, autogroups, or constructs carrying tags) `kubectl` access: the capability
   * grant to the proxy's device tags on `tcp:443` (plus the network grant to `svc:<hostname>` on a
   * ProxyGroup), a ClusterRoleBinding per impersonated group when `clusterRole` is set, and the
   * grant that lets the proxies reach the `recorder`. Returns what was granted.
   *
   * @example
   * proxy.grantAccess(['autogroup:member'], { groups: ['tailnet-readers'], clusterRole: 'view' });
   */
  grantAccess(
    principals: readonly Principal[],
    options: ApiServerProxyAccessOptions = {},
  ): ApiServerProxyGrant {
    const result = this.#access.grant(principals, options);
    Tailnet.of(this).register(result.requirements);
    for (const binding of result.newBindings) {
      this.#bindings.set(binding.metadata.name, toApiObject(this, binding.metadata.name, binding));
    }
    return result.grant;
  }
}
