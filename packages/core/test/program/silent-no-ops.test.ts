import { parseBasePolicy, silentNoOpWarnings, type TailnetRequirements } from '../../src/internal';

const TAILNET = "Tailnet 'app/Tailnet'";
const NO_BASE = parseBasePolicy(TAILNET, undefined);

function warnings(requirements: readonly TailnetRequirements[], base = NO_BASE): string[] {
  return silentNoOpWarnings(requirements, base);
}

describe('an ApiServerProxy or Connector no one may use', () => {
  test.each([
    ["ApiServerProxy 'ops/kubectl'", 'grantAccess()'],
    ["Connector 'net/office'", 'allow()'],
  ])('%s without %s is reported', (source, verb) => {
    expect(warnings([{ source, proxyTags: ['tag:office'] }])).toStrictEqual([
      `${source}: no one is granted access (no \`${verb}\` call), so it reaches no one unless the base policy grants it by hand; call \`${verb}\` with who may use it`,
    ]);
  });

  test('a grant registered later under the same name silences it', () => {
    const source = "Connector 'net/office'";
    expect(
      warnings([
        { source, proxyTags: ['tag:office'] },
        { source, grants: [{ src: ['group:ops'], dst: ['10.0.0.0/8'], ip: ['*'] }] },
      ]),
    ).toStrictEqual([]);
  });

  test('other constructs are not concerned', () => {
    expect(warnings([{ source: "ProxyClass 'p/prod'" }])).toStrictEqual([]);
  });
});

describe('a grant to the shared default proxy tag', () => {
  const source = "TailscaleService 'apps/jellyfin'";
  const grant = { src: ['group:family'], dst: ['tag:k8s'], ip: ['tcp:8096'] };

  test('an exposure on tag:k8s granted to a group reaches every default proxy', () => {
    expect(
      warnings([
        { source, proxyTags: ['tag:k8s'] },
        { source, grants: [grant] },
      ]),
    ).toStrictEqual([
      `${source}: its grant targets "tag:k8s", the operator's shared default proxy tag, so it reaches every proxy with that tag, not only this one; give the construct its own \`tags\``,
    ]);
  });

  test('an exit node on tag:k8s is reached `via` the shared tag', () => {
    const connector = "Connector 'net/exit'";
    const via = { src: ['group:family'], dst: ['autogroup:internet'], ip: ['*'], via: ['tag:k8s'] };
    expect(warnings([{ source: connector, proxyTags: ['tag:k8s'], grants: [via] }])).toHaveLength(1);
  });

  test('its own tag is fine', () => {
    const own = { ...grant, dst: ['tag:media'] };
    expect(warnings([{ source, proxyTags: ['tag:media'], grants: [own] }])).toStrictEqual([]);
  });
});

describe('a base policy giving funnel to the default proxy tag', () => {
  test('is reported with the entry it comes from', () => {
    const base = parseBasePolicy(
      TAILNET,
      JSON.stringify({
        nodeAttrs: [
          { target: ['tag:web'], attr: ['funnel'] },
          { target: ['tag:k8s'], attr: ['funnel'] },
        ],
      }),
    );
    expect(warnings([], base)).toStrictEqual([
      `${TAILNET}: the base policy's \`nodeAttrs[1]\` gives \`funnel\` to "tag:k8s", the operator's default proxy tag, so every proxy with that tag may serve the internet; give \`funnel\` to a tag of its own (a FunnelIngress uses one by default)`,
    ]);
  });

  test('another attribute on the default tag is not', () => {
    const base = parseBasePolicy(
      TAILNET,
      JSON.stringify({ nodeAttrs: [{ target: ['tag:k8s'], attr: ['mullvad'] }] }),
    );
    expect(warnings([], base)).toStrictEqual([]);
  });
});

describe('a custom resource in the operator chart', () => {
  const operator: TailnetRequirements = {
    source: "TailscaleOperator 'operator/tailscale'",
    operator: { tags: ['tag:k8s-operator'], namespace: 'tailscale', credentials: { kind: 'oauth-client' } },
    applyUnit: 'operator',
  };

  test('is reported: its CRD is not there yet when the chart is applied', () => {
    const connector = {
      source: "Connector 'operator/office'",
      applyUnit: 'operator',
      grants: [{ src: ['group:ops'], dst: ['10.0.0.0/8'], ip: ['*'] }],
    };
    expect(warnings([operator, connector])).toStrictEqual([
      `Connector 'operator/office': it is in "operator", the chart of TailscaleOperator 'operator/tailscale', whose chart installs its CRD; applied together, the API server refuses it before the CRD exists. Put it in a chart applied after the operator's`,
    ]);
  });

  test('in another chart it is fine', () => {
    expect(
      warnings([operator, { source: "ProxyClass 'platform/prod'", applyUnit: 'platform' }]),
    ).toStrictEqual([]);
  });
});
