import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  ApiServerProxyAccess,
  argsObject,
  checkedConstructPath,
  kubeconfigCommand,
  resolveApiServerProxyProps,
  type ApiServerProxyAccessOptions,
  type ApiServerProxyGrant,
  type ApiServerProxyMode,
  type Principal,
  type ApiServerProxyProps,
  type ResolvedApiServerProxyProps,
} from '@tailkube/core/internal';
import { tailnetFor, type Tailnet } from './tailnet';
import { TailscaleOperator } from './tailscale-operator';

/** Arguments of the Pulumi {@link ApiServerProxy}: the shared props, plus where it registers. */
export interface ApiServerProxyArgs extends ApiServerProxyProps {
  /**
   * The tailnet that receives the proxy's requirements.
   *
   * @default - the tailnet of the enclosing `tailnetProgram`
   */
  readonly tailnet?: Tailnet;
}

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
export class ApiServerProxy extends pulumi.ComponentResource {
  /** The props with every default applied and the placement worked out. */
  readonly props: ResolvedApiServerProxyProps;
  /** The proxy's mode. */
  readonly mode: ApiServerProxyMode;
  /** The hostname clients reach the proxy at. */
  readonly hostname: string;
  /** The command that points `kubectl` at the proxy: `tailscale configure kubeconfig <hostname>`. */
  readonly kubeconfigCommand: string;
  /** The ClusterRoleBindings created so far, by object name. */
  readonly clusterRoleBindings: ReadonlyMap<string, k8s.rbac.v1.ClusterRoleBinding>;
  readonly #path: string;
  readonly #tailnet: Tailnet;
  readonly #access: ApiServerProxyAccess;
  readonly #bindings = new Map<string, k8s.rbac.v1.ClusterRoleBinding>();

  constructor(name: string, args: ApiServerProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    const path = checkedConstructPath('ApiServerProxy', '', name);
    const { tailnet: tailnetArg, ...props } = argsObject(path, args);
    const resolved = resolveApiServerProxyProps(path, name, props);
    const access = new ApiServerProxyAccess(path, resolved);
    const tailnet = tailnetFor(path, tailnetArg);
    // The operator's chart learns what the proxy needs; an operator the program does not own
    // needs its `apiServerProxyConfig` set where it is installed.
    if (TailscaleOperator.isTailscaleOperator(props.operator)) {
      props.operator._useApiServerProxy(path, { placement: resolved.placement, mode: resolved.mode });
    }
    tailnet.register({ source: path });
    super('tailkube:index:ApiServerProxy', name, {}, opts);
    this.#path = path;
    this.#tailnet = tailnet;
    this.#access = access;
    this.props = resolved;
    this.mode = resolved.mode;
    this.hostname = resolved.hostname;
    this.kubeconfigCommand = kubeconfigCommand(resolved);
    this.clusterRoleBindings = this.#bindings;
    this.registerOutputs({ hostname: this.hostname, kubeconfigCommand: this.kubeconfigCommand });
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
    this.#tailnet._claimObjects(this.#path, result.newBindings);
    this.#tailnet.register(result.requirements);
    for (const { metadata, roleRef, subjects } of result.newBindings) {
      const resource = new k8s.rbac.v1.ClusterRoleBinding(
        // One binding per object name in the program (a cluster-object claim), so one per stack.
        metadata.name,
        { metadata: { ...metadata }, roleRef: { ...roleRef }, subjects: subjects.map((s) => ({ ...s })) },
        { parent: this },
      );
      this.#bindings.set(metadata.name, resource);
    }
    return result.grant;
  }
}
