import type * as pulumi from '@pulumi/pulumi';
import { FunnelIngress, TailscaleOperator } from '@tailkube/pulumi';

/** The tailnet policy the program starts from; tailkube adds what the cluster needs. */
export const basePolicy = `{
  "groups": {
    "group:platform": ["alice@example.com"],
    "group:developers": ["bob@example.com"],
  },
  "tagOwners": {
    // The platform team owns the operator's tag; tailkube adds the Funnel tag under it.
    "tag:k8s-operator": ["group:platform"],
  },
}
`;

/** The tailnet this program renders into: the base above, which has no rules yet, made deny-by-default. */
export const tailnetArgs = { basePolicy, allowAll: 'deny' } as const;

/** What the stack exports: the Funnel name to point Cloudflare at. */
export interface FunnelTraefikOutputs {
  /** The hostname the operator asks for, `ozilab-edge`. */
  readonly hostname: string;
  /** `https://ozilab-edge.<tailnet>.ts.net` from the Ingress's status (with `-1` if the name was taken). */
  readonly url: pulumi.Output<string | undefined>;
}

/** What the program creates that tests point at, and what the stack exports. */
export interface FunnelTraefik {
  /** The operator, whose own device is never funneled. */
  readonly operator: TailscaleOperator;
  /** The Funnel Ingress in front of Traefik. */
  readonly edge: FunnelIngress;
  /** What the stack exports. */
  readonly outputs: FunnelTraefikOutputs;
}

/**
 * Traefik's `websecure` entrypoint (`traefik:443` in namespace `traefik`) published to the internet
 * through a Funnel Ingress `ozilab-edge`, which Cloudflare proxies to. Runs inside
 * `tailnetProgram`, which seals the tailnet when it returns.
 */
export async function program(): Promise<FunnelTraefik> {
  const operator = new TailscaleOperator('operator');
  const edge = new FunnelIngress('ozilab-edge', {
    // Funnel is public: anyone on the internet reaches Traefik through it.
    public: true,
    namespace: 'traefik',
    hostname: 'ozilab-edge',
    // Port 443 is proxied as HTTPS without verification: Traefik's own certificate is for the
    // public names, not for the ClusterIP the proxy dials.
    defaultBackend: { serviceName: 'traefik', port: 443 },
  });
  // Over the tailnet, only the platform team reaches the edge directly (to test it without
  // Cloudflare); the internet needs no grant.
  edge.allow(['group:platform']);
  return { operator, edge, outputs: { hostname: edge.hostname, url: edge.url } };
}
