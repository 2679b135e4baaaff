import { compareStrings } from '@tailkube/policy/internal';
import { ValidationError, type Grant } from '@tailkube/policy';
import { deniedStandIn, readPrincipals, type Allowance, type Principal } from '../access';
import type { ApiServerProxyAccessOptions } from '../props/api-server-proxy';
import { SUPERUSER_GROUP } from '../props/api-server-proxy';
import { RECORDER_PORT } from '../props/recorder';
import { bindingName, renderGroupBinding, type ClusterRoleBindingObject } from '../render/api-server-proxy';
import { checkApiServerProxyAccess, type ResolvedApiServerProxyProps } from '../validate/api-server-proxy';
import type { AccessIntent, TailnetRequirements } from './requirements';

/** The peer capability the API server proxy reads impersonation and recording rules from. */
export const KUBERNETES_CAPABILITY = 'tailscale.com/cap/kubernetes';

/** The port the API server proxy serves on, in both placements. */
export const API_SERVER_PROXY_PORT = 443;

/**
 * One rule of the `tailscale.com/cap/kubernetes` capability, as the proxy reads it: groups to
 * impersonate, and where and how sessions are recorded.
 *
 * @see https://github.com/tailscale/tailscale/blob/v1.102.3/kube/kubetypes/grants.go
 */
export interface KubernetesCapabilityRule {
  /** Whether every API request is sent to the recorder as an event (beta). */
  readonly enableEvents?: true;
  /** Whether a session fails when it cannot be recorded. */
  readonly enforceRecorder?: true;
  /** The Kubernetes groups the caller is impersonated with. */
  readonly impersonate?: { readonly groups: readonly string[] };
  /** The tag of the recorder sessions go to: at most one. */
  readonly recorder?: readonly string[];
}

/** What one `grantAccess` call added: the {@link Allowance}, the capability and the bindings. */
export interface ApiServerProxyGrant extends Allowance {
  /** The capability rule the principals get at the proxy; absent when they get network access only. */
  readonly capability?: KubernetesCapabilityRule;
  /** The ClusterRoleBindings the access needs, including ones an earlier call created. */
  readonly clusterRoleBindings: readonly ClusterRoleBindingObject[];
}

/** What a flavor does with one `grantAccess` call. */
export interface ApiServerProxyGrantResult {
  /** What to return to the user. */
  readonly grant: ApiServerProxyGrant;
  /** What to register with the tailnet. */
  readonly requirements: TailnetRequirements;
  /** ClusterRoleBindings not created by an earlier call, to create now. */
  readonly newBindings: readonly ClusterRoleBindingObject[];
}

/** The command that points `kubectl` at the proxy from a device on the tailnet. */
export function kubeconfigCommand(props: ResolvedApiServerProxyProps): string {
  return `tailscale configure kubeconfig ${props.hostname}`;
}

/**
 * The access of one API server proxy, framework-free: each flavor's `ApiServerProxy` holds one and
 * registers what it returns. Grants go to the tags of the devices the proxy runs on, never to a
 * `svc:` name: the proxy looks the caller's capabilities up by its own node, so a capability
 * granted to a Tailscale Service is dropped and the caller would get no groups.
 */
export class ApiServerProxyAccess {
  readonly #path: string;
  readonly #props: ResolvedApiServerProxyProps;
  /** Recorder tags whose reachability is already checked: once per recorder, not per grant. */
  readonly #recorderTags = new Set<string>();
  readonly #bindings = new Map<string, ClusterRoleBindingObject>();

  constructor(path: string, props: ResolvedApiServerProxyProps) {
    this.#path = path;
    this.#props = props;
  }

  /**
   * Grants `principals` access as `options` say, throwing a {@link ValidationError} for the proxy's
   * path on bad input. The intended access, checked offline: each principal reaches each proxy
   * device on 443 with its capability (and the Tailscale Service on a ProxyGroup), and the stand-in
   * for "anyone else" does not.
   */
  grant(
    principals: readonly Principal[],
    options: ApiServerProxyAccessOptions = {},
  ): ApiServerProxyGrantResult {
    const props = this.#props;
    const src = readPrincipals(this.#path, principals);
    checkApiServerProxyAccess(this.#path, props.mode, options);
    const capability = capabilityRule(options);
    const nodeTags = sorted(props.nodeTags);
    const ip = [`tcp:${API_SERVER_PROXY_PORT}`];
    const grants: Grant[] = [
      {
        src,
        dst: nodeTags,
        ip,
        ...(capability && { app: { [KUBERNETES_CAPABILITY]: [capability] } }),
      },
    ];
    if (props.serviceName !== undefined) grants.push({ src, dst: [props.serviceName], ip });
    const recorderTag = options.recorder?.tags[0];
    if (recorderTag !== undefined) {
      grants.push({ src: nodeTags, dst: [recorderTag], ip: [`tcp:${RECORDER_PORT}`] });
    }

    const clusterRoleBindings = this.#bindingsFor(options);
    const newBindings = clusterRoleBindings.filter((binding) => !this.#bindings.has(binding.metadata.name));
    for (const binding of newBindings) this.#bindings.set(binding.metadata.name, binding);

    const intents = src.flatMap((principal) => this.#grantedAccess(principal, capability));
    const denied = deniedStandIn(src);
    const [firstTag] = nodeTags;
    if (denied !== undefined && firstTag !== undefined) {
      intents.push({ src: denied, dst: firstTag, port: API_SERVER_PROXY_PORT, expect: 'deny' });
    }
    if (recorderTag !== undefined && !this.#recorderTags.has(recorderTag)) {
      this.#recorderTags.add(recorderTag);
      intents.push({ src: nodeTags[0]!, dst: recorderTag, port: RECORDER_PORT, expect: 'allow' });
    }
    return {
      grant: { principals: src, ...(capability && { capability }), grants, clusterRoleBindings },
      requirements: {
        source: this.#path,
        grants,
        ...(intents.length > 0 && { intendedAccess: intents }),
        ...(newBindings.length > 0 && {
          claims: newBindings.map((b) => ({
            kind: 'cluster-object' as const,
            field: options.clusterRoleBindingName === undefined ? 'groups' : 'clusterRoleBindingName',
            objectKind: 'ClusterRoleBinding',
            name: b.metadata.name,
          })),
        }),
      },
      newBindings,
    };
  }

  /** The principal reaches each proxy device on 443 with its capability, and the Service when HA. */
  #grantedAccess(principal: string, capability: KubernetesCapabilityRule | undefined): AccessIntent[] {
    const props = this.#props;
    const intents: AccessIntent[] = sorted(props.nodeTags).map((tag) => ({
      src: principal,
      dst: tag,
      port: API_SERVER_PROXY_PORT,
      expect: 'allow',
      ...(capability && { capability: KUBERNETES_CAPABILITY, capabilityValue: capability }),
    }));
    if (props.serviceName !== undefined) {
      intents.push({ src: principal, dst: props.serviceName, port: API_SERVER_PROXY_PORT, expect: 'allow' });
    }
    return intents;
  }

  /**
   * One binding per bound group: the one an earlier grant made for the same group and role, else
   * a new one named `clusterRoleBindingName` or `<proxy>-<group>-<role>`. A name is held by one
   * binding: a name of another group's or role's binding is refused, as is a second name for one.
   */
  #bindingsFor(options: ApiServerProxyAccessOptions): ClusterRoleBindingObject[] {
    const role = options.clusterRole;
    if (role === undefined) return [];
    const roleName = typeof role === 'string' ? role : role.name;
    const given = options.clusterRoleBindingName;
    return sorted(options.groups ?? [])
      .filter((group) => group !== SUPERUSER_GROUP)
      .map((group) => {
        const existing = [...this.#bindings.values()].find(
          (b) => b.roleRef.name === roleName && b.subjects[0]?.name === group,
        );
        if (existing && (given === undefined || given === existing.metadata.name)) return existing;
        if (existing) {
          throw this.#bindingNameError(
            given!,
            `"${existing.metadata.name}" (the binding of group "${group}" to "${roleName}" an earlier grant created) or absent`,
          );
        }
        const name = given ?? bindingName(this.#props.name, group, roleName);
        const holder = this.#bindings.get(name);
        if (holder) {
          throw this.#bindingNameError(
            name,
            `a name no other binding holds: "${name}" binds group "${holder.subjects[0]?.name}" to "${holder.roleRef.name}"`,
          );
        }
        return renderGroupBinding(name, group, roleName);
      });
  }

  #bindingNameError(value: string, allowed: string): ValidationError {
    return new ValidationError({ path: this.#path, field: 'clusterRoleBindingName', value, allowed });
  }
}

/** The capability rule for `options`; undefined when there is nothing to say (noauth, no recorder). */
function capabilityRule(options: ApiServerProxyAccessOptions): KubernetesCapabilityRule | undefined {
  const groups = options.groups ?? [];
  const recorder = options.recorder?.tags[0];
  if (groups.length === 0 && recorder === undefined) return undefined;
  // Keys in sorted order, as the rendered policy holds them.
  return {
    ...(recorder !== undefined && options.enableEvents && { enableEvents: true }),
    ...(recorder !== undefined && options.enforceRecorder && { enforceRecorder: true }),
    ...(groups.length > 0 && { impersonate: { groups: sorted(groups) } }),
    ...(recorder !== undefined && { recorder: [recorder] }),
  };
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort(compareStrings);
}
