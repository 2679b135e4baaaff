import * as fs from 'node:fs';
import * as path from 'node:path';
import { ownedEntries, withoutOwnedEntries } from '../src/owned-entries';

const GOLDEN = path.resolve(__dirname, '../../../test/golden');

describe('withoutOwnedEntries', () => {
  test('removes each entry below a "// tailkube:" comment, keeping the rest as written', () => {
    const policy = fs.readFileSync(
      path.join(GOLDEN, 'apiserver-proxy-readers/tailnet-policy.hujson'),
      'utf8',
    );

    expect(withoutOwnedEntries(policy)).toStrictEqual({
      text: `{
  "tagOwners": {
    // Admins own the operator's tag.
    "tag:k8s-operator": ["autogroup:admin"],
  },
  "grants": [
  ],
}
`,
      removed: 3,
    });
  });

  test('keeps a policy without owned entries byte for byte, CRLF included', () => {
    const policy = '{\r\n  // Ours.\r\n  "hosts": {"db": "100.64.0.1"},\r\n}\r\n';

    expect(withoutOwnedEntries(policy)).toStrictEqual({ text: policy, removed: 0 });
  });

  test('finds owned entries at any depth and leaves a neighbour on the same list', () => {
    const policy = `{
\t"autoApprovers": {
\t\t"routes": {
\t\t\t// tailkube: Connector 'home/router'
\t\t\t"10.0.0.0/8": ["tag:k8s"],
\t\t\t"192.168.0.0/24": ["group:admins"],
\t\t},
\t},
}
`;

    expect(withoutOwnedEntries(policy).text).toBe(`{
\t"autoApprovers": {
\t\t"routes": {
\t\t\t"192.168.0.0/24": ["group:admins"],
\t\t},
\t},
}
`);
  });
});

describe('ownedEntries', () => {
  test('gives each owned entry its path and the constructs its comment names', () => {
    const policy = fs.readFileSync(path.join(GOLDEN, 'k3s-homelab-expose/tailnet-policy.hujson'), 'utf8');

    const owned = ownedEntries(policy).map(({ path: where, sources }) => ({ where, sources }));

    expect(owned).toContainEqual({
      where: ['tagOwners', 'tag:k8s'],
      sources: [
        "TailscaleOperator 'operator/tailscale'",
        "TailscaleService 'apps/home-assistant-tailnet'",
        "TailscaleService 'apps/jellyfin-tailnet'",
      ],
    });
    expect(owned).toContainEqual({
      where: ['grants', 2],
      sources: ["TailscaleService 'apps/home-assistant-tailnet'"],
    });
    expect(owned.map(({ where }) => where[0])).toStrictEqual([
      'tagOwners',
      'tagOwners',
      'tagOwners',
      'grants',
      'grants',
      'grants',
      'nodeAttrs',
    ]);
  });
});
