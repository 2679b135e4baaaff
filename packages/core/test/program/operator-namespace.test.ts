import {
  OperatorCredentials,
  TailnetModel,
  decideOperatorNamespace,
  existingNamespaceWarning,
  operatorRequirements,
  resolveTailscaleOperatorProps,
  type OperatorNamespaceMode,
  type TailnetRequirements,
} from '../../src/internal';

const SUPPORT = {
  defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
  createsOAuthClient: false,
  createsFederatedIdentity: false,
};

function operator(namespaceMode: OperatorNamespaceMode): TailnetRequirements {
  const path = "TailscaleOperator 'app/operator'";
  const props = resolveTailscaleOperatorProps(path, { namespace: 'networking', namespaceMode }, SUPPORT);
  return operatorRequirements(path, props);
}

const CONNECTOR: TailnetRequirements = { source: "Connector 'app/office'", proxyTags: ['tag:k8s'] };
const INGRESS: TailnetRequirements = {
  source: "TailscaleIngress 'app/web'",
  proxyTags: ['tag:k8s'],
  privilegedPods: false,
};
const PROXY_CLASS: TailnetRequirements = { source: "ProxyClass 'app/prod'" };

describe('decideOperatorNamespace', () => {
  test('has nothing to decide for a dedicated namespace, which is always labelled', () => {
    const op = operator('dedicated');
    expect(decideOperatorNamespace(op.operator!, [op, CONNECTOR])).toBeUndefined();
  });

  test.each<[string, TailnetRequirements[], boolean, string[]]>([
    ['only the operator', [], false, []],
    ['a construct without proxies', [PROXY_CLASS], false, []],
    ['a userspace proxy', [INGRESS], false, []],
    ['a privileged proxy', [CONNECTOR, INGRESS], true, ["Connector 'app/office'"]],
  ])('labels a shared namespace privileged as its proxies need: %s', (_, others, privileged, by) => {
    const op = operator('shared');
    expect(decideOperatorNamespace(op.operator!, [op, ...others])).toStrictEqual({
      name: 'networking',
      mode: 'shared',
      privileged,
      privilegedBy: by,
    });
  });

  test('warns only for an existing namespace whose proxies need the label', () => {
    const existing = operator('existing');
    const needed = decideOperatorNamespace(existing.operator!, [existing, CONNECTOR])!;
    expect(existingNamespaceWarning(needed)).toBe(
      'namespace "networking" is not managed by tailkube; label it pod-security.kubernetes.io/enforce=privileged, as the proxies of Connector \'app/office\' run privileged pods there',
    );
    expect(existingNamespaceWarning({ ...needed, privileged: false, privilegedBy: [] })).toBeUndefined();
    const shared = operator('shared');
    expect(existingNamespaceWarning(decideOperatorNamespace(shared.operator!, [shared, CONNECTOR])!)).toBe(
      undefined,
    );
  });
});

describe('the program report', () => {
  test('says what it decided about a shared namespace, and warns for an existing one', () => {
    // GIVEN
    const shared = new TailnetModel("Tailnet 'a'", { allowAll: 'deny' });
    shared.register(operator('shared'));
    shared.register(CONNECTOR);
    const existing = new TailnetModel("Tailnet 'b'", { allowAll: 'deny' });
    existing.register(operator('existing'));
    existing.register(CONNECTOR);
    const dedicated = new TailnetModel("Tailnet 'c'", { allowAll: 'deny' });
    dedicated.register(operator('dedicated'));

    // WHEN
    const [sharedReport, existingReport, dedicatedReport] = [shared, existing, dedicated].map(
      (model) => model.seal().report,
    );

    // THEN
    expect(sharedReport?.operatorNamespace).toStrictEqual({
      name: 'networking',
      mode: 'shared',
      privileged: true,
      privilegedBy: ["Connector 'app/office'"],
    });
    const namespaceWarnings = (report: typeof sharedReport) =>
      (report?.warnings ?? []).filter((warning) => warning.includes('namespace'));
    expect(namespaceWarnings(sharedReport)).toStrictEqual([]);
    expect(namespaceWarnings(existingReport)).toStrictEqual([
      expect.stringContaining('namespace "networking"'),
    ]);
    expect(dedicatedReport).not.toHaveProperty('operatorNamespace');
  });
});
