import { TailnetModel, type TailnetRequirements } from '@tailkube/core';
import type { BenchCase } from '../bench';

/** `count` requirements such as proxies, routers and services register: tags, grants, routes. */
function requirements(count: number): TailnetRequirements[] {
  const reqs: TailnetRequirements[] = [
    {
      source: "TailscaleOperator 'operator'",
      operator: { tags: ['tag:k8s-operator'], namespace: 'tailscale', credentials: { kind: 'oauth-client' } },
      proxyTags: ['tag:k8s'],
      hostnames: ['tailscale-operator'],
      oauthScopes: ['auth_keys', 'devices:core'],
    },
  ];
  for (let i = 1; i < count; i++) {
    const tag = `tag:svc-${i}`;
    reqs.push({
      source: `Service 'apps/svc-${i}'`,
      proxyTags: [tag],
      hostnames: [`svc-${i}`],
      grants: [{ src: ['autogroup:member'], dst: [tag], ip: ['tcp:443'] }],
      autoApprovers: { routes: { [`10.${(i >> 8) & 255}.${i & 255}.0/24`]: [tag] } },
      intendedAccess: [{ src: 'autogroup:member', dst: tag, port: 443, expect: 'allow' }],
    });
  }
  return reqs;
}

function renderPolicy(reqs: readonly TailnetRequirements[]): number {
  const model = new TailnetModel("Tailnet 'bench'");
  for (const req of reqs) model.register(req);
  return model.seal().text.length;
}

export const cases: BenchCase[] = [
  {
    name: 'policy:render',
    prepare: (n) => {
      const reqs = requirements(n);
      return { n, run: () => renderPolicy(reqs) };
    },
  },
];
