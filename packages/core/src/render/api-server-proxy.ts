import { createHash } from 'node:crypto';
import { compareStrings } from '@tailkube/policy/internal';
import { SUPERUSER_GROUP, type ApiServerProxyAccessOptions } from '../props/api-server-proxy';
import { RECORDER_PORT } from '../props/recorder';
import type { Grant } from '@tailkube/policy';
import type { AccessIntent, TailnetRequirements } from '../policy/requirements';
import { checkApiServerProxyAccess, type ResolvedApiServerProxyProps } from '../validate/api-server-proxy';
import { DNS_SUBDOMAIN_PATTERN } from '../validate/scalars';
import { MANAGED_BY_LABELS, type KubeObject } from './kube-object';

/** The peer capability the API server proxy reads impersonation and recording rules from. */
export const KUBERNETES_CAPABILITY = 'tailscale.com/cap/kubernetes';

/** The port the API server proxy serves on, in both placements. */
export const API_SERVER_PROXY_PORT = 443;

/**
 * A device no grant names, standing in for "anyone else" in the offline check that the proxy is
 * not open to every device.
 */
export const UNGRANTED_STAND_IN = 'tag:tailkube-ungranted';

/** Principals that cover the stand-in too: with one of them granted, nobody is left without a grant. */
const COVERS_EVERY_TAGGED_DEVICE: readonly string[] = ['*', 'autogroup:tagged', 'autogroup:danger-all'];

/** Principals the offline policy engine resolves to devices (roles such as `autogroup:admin` it cannot). */
const EVALUABLE_AUTOGROUPS: readonly string[] = ['autogroup:member', 'autogroup:tagged'];

const RBAC_API_GROUP = 'rbac.authorization.k8s.io';

/**
 * One rule of the `tailscale.com/cap/kubernetes` capability, as the proxy reads it: groups to
 * impersonate, and where and how sessions are recorded.
 *
 * @see https://github.com/tailscale/tailscale/blob/v1.102.3/kube/kubetypes/grants.go
 */
export interface KubernetesCapabilityRule {
  /** Whether a session fails when it cannot be recorded. */
  readonly enforceRecorder?: true;
  /** The Kubernetes groups the caller is impersonated with. */
  readonly impersonate?: { readonly groups: readonly string[] };
  /** The tag of the recorder sessions go to: at most one. */
  readonly recorder?: readonly string[];
}

/** A reference from an RBAC binding to a role or a subject. */
export interface RbacReference {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

/** A ClusterRoleBinding as plain data. */
export interface ClusterRoleBindingObject extends KubeObject {
  readonly roleRef: RbacReference;
  readonly subjects: readonly RbacReference[];
}

/** What one `grantAccess` call produced. */
export interface ApiServerProxyGrant {
  /** The principal, as given. */
  readonly principal: string;
  /** The capability rule the principal gets at the proxy; absent when it gets network access only. */
  readonly capability?: KubernetesCapabilityRule;
  /** Grants added to the policy. */
  readonly grants: readonly Grant[];
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
  readonly #principals = new Set<string>();
  /** Recorder tags whose reachability is already checked: once per recorder, not per grant. */
  readonly #recorderTags = new Set<string>();
  readonly #bindings = new Map<string, ClusterRoleBindingObject>();

  constructor(path: string, props: ResolvedApiServerProxyProps) {
    this.#path = path;
    this.#props = props;
  }

  /**
   * What the proxy registers when it is created: its intended access, read when the tailnet
   * renders its policy so that every later grant counts. Once anyone is granted access, a device
   * no grant names must not reach the proxy (unless a grant names every device).
   */
  requirements(): TailnetRequirements {
    const source = this.#path;
    const denied = (): AccessIntent[] => this.#deniedAccess();
    return {
      source,
      get intendedAccess(): readonly AccessIntent[] {
        return denied();
      },
    };
  }

  /**
   * Grants `principal` access as `options` say, throwing a {@link ValidationError} for the proxy's
   * path on bad input.
   */
  grant(principal: string, options: ApiServerProxyAccessOptions = {}): ApiServerProxyGrantResult {
    const props = this.#props;
    checkApiServerProxyAccess(this.#path, props.mode, principal, options);
    const capability = capabilityRule(options);
    const nodeTags = sorted(props.nodeTags);
    const ip = [`tcp:${API_SERVER_PROXY_PORT}`];
    const grants: Grant[] = [
      {
        src: [principal],
        dst: nodeTags,
        ip,
        ...(capability && { app: { [KUBERNETES_CAPABILITY]: [capability] } }),
      },
    ];
    if (props.serviceName !== undefined) grants.push({ src: [principal], dst: [props.serviceName], ip });
    const recorderTag = options.recorder?.tags[0];
    if (recorderTag !== undefined) {
      grants.push({ src: nodeTags, dst: [recorderTag], ip: [`tcp:${RECORDER_PORT}`] });
    }

    const clusterRoleBindings = this.#bindingsFor(options);
    const newBindings = clusterRoleBindings.filter((binding) => !this.#bindings.has(binding.metadata.name));
    for (const binding of newBindings) this.#bindings.set(binding.metadata.name, binding);
    this.#principals.add(principal);

    const intents = evaluable(principal) ? this.#grantedAccess(principal, capability) : [];
    if (recorderTag !== undefined && !this.#recorderTags.has(recorderTag)) {
      this.#recorderTags.add(recorderTag);
      intents.push({ src: nodeTags[0]!, dst: recorderTag, port: RECORDER_PORT, expect: 'allow' });
    }
    return {
      grant: { principal, ...(capability && { capability }), grants, clusterRoleBindings },
      requirements: {
        source: this.#path,
        grants,
        ...(intents.length > 0 && { intendedAccess: intents }),
        ...(newBindings.length > 0 && {
          clusterObjects: newBindings.map((b) => ({ kind: 'ClusterRoleBinding', name: b.metadata.name })),
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

  #deniedAccess(): AccessIntent[] {
    // Without any grant the policy may have no rules at all, which Tailscale reads as allow-all.
    if (this.#principals.size === 0) return [];
    const open = [...this.#principals].some((p) => COVERS_EVERY_TAGGED_DEVICE.includes(p));
    const [tag] = sorted(this.#props.nodeTags);
    if (open || tag === undefined) return [];
    return [{ src: UNGRANTED_STAND_IN, dst: tag, port: API_SERVER_PROXY_PORT, expect: 'deny' }];
  }

  #bindingsFor(options: ApiServerProxyAccessOptions): ClusterRoleBindingObject[] {
    const role = options.clusterRole;
    if (role === undefined) return [];
    const roleName = typeof role === 'string' ? role : role.name;
    return sorted(options.groups ?? [])
      .filter((group) => group !== SUPERUSER_GROUP)
      .map((group) => renderGroupBinding(bindingName(this.#props.name, group, roleName), group, roleName));
  }
}

/** The capability rule for `options`; undefined when there is nothing to say (noauth, no recorder). */
function capabilityRule(options: ApiServerProxyAccessOptions): KubernetesCapabilityRule | undefined {
  const groups = options.groups ?? [];
  const recorder = options.recorder?.tags[0];
  if (groups.length === 0 && recorder === undefined) return undefined;
  // Keys in sorted order, as the rendered policy holds them.
  return {
    ...(recorder !== undefined && options.enforceRecorder && { enforceRecorder: true }),
    ...(groups.length > 0 && { impersonate: { groups: sorted(groups) } }),
    ...(recorder !== undefined && { recorder: [recorder] }),
  };
}

/** A ClusterRoleBinding of one Kubernetes group to a ClusterRole. */
export function renderGroupBinding(
  name: string,
  group: string,
  clusterRole: string,
): ClusterRoleBindingObject {
  return {
    apiVersion: `${RBAC_API_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...MANAGED_BY_LABELS } },
    roleRef: { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name: clusterRole },
    subjects: [{ apiGroup: RBAC_API_GROUP, kind: 'Group', name: group }],
  };
}

/**
 * The binding's object name, `<proxy>-<group>-<role>`, readable when the group and role are
 * already valid name parts; otherwise made valid and suffixed with a hash of the exact pair, so
 * two groups that differ only in characters a name cannot hold still get two bindings.
 */
export function bindingName(proxy: string, group: string, clusterRole: string): string {
  const exact = `${proxy}-${group}-${clusterRole}`;
  if (exact.length <= 253 && DNS_SUBDOMAIN_PATTERN.test(exact)) return exact;
  const hash = createHash('sha256').update(`${group}\u0000${clusterRole}`).digest('hex').slice(0, 8);
  const readable = exact
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 240)
    .replace(/[-.]+$/, '');
  return `${readable}-${hash}`;
}

function evaluable(principal: string): boolean {
  if (principal.startsWith('autogroup:')) return EVALUABLE_AUTOGROUPS.includes(principal);
  return principal !== '*';
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort(compareStrings);
}
