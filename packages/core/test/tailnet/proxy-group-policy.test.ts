import { TailnetModel, proxyGroupPolicyRequirements, resolveProxyGroupPolicyProps } from '../../src/internal';
import { defaultOperatorRequirements } from '../helpers/tailnet';

const PATH = "ProxyGroupPolicy 'team-a/proxy-groups'";
const WARNING =
  "ProxyGroupPolicy 'team-a/proxy-groups': up to operator v1.102.3, the API server refuses every Service and " +
  'Ingress without annotations in namespace "team-a", whether or not it uses Tailscale (the admission rule the ' +
  'operator writes reads `metadata.annotations` without checking it exists; tailscale/tailscale#20906, fixed in ' +
  'a later release); give each Service and Ingress there at least one annotation, or keep the policy out of ' +
  'namespaces with other workloads';

function requirements() {
  return proxyGroupPolicyRequirements(PATH, resolveProxyGroupPolicyProps(PATH, 'proxy-groups', 'team-a', {}));
}

describe('proxyGroupPolicyRequirements', () => {
  test('warns that the namespace refuses Services and Ingresses without annotations', () => {
    expect(requirements().warnings).toStrictEqual([WARNING]);
  });

  test('the warning reaches the report, before the ones the program derives', () => {
    const tailnet = new TailnetModel("Tailnet 'tailnet'", { allowAll: 'deny' });
    tailnet.register(defaultOperatorRequirements());
    tailnet.register(requirements());
    expect(tailnet.seal().report.warnings).toStrictEqual([WARNING]);
  });

  test('a program without a ProxyGroupPolicy has nothing to say', () => {
    const tailnet = new TailnetModel("Tailnet 'tailnet'", { allowAll: 'deny' });
    tailnet.register(defaultOperatorRequirements());
    expect(tailnet.seal().report.warnings).toBeUndefined();
  });
});
