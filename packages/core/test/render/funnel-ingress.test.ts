import {
  OperatorCredentials,
  TailnetModel,
  exposureAllowance,
  funnelIngressTarget,
  type AllowOptions,
  funnelIngressRequirements,
  operatorRequirements,
  renderFunnelIngress,
  resolveFunnelIngressProps,
  resolveTailscaleOperatorProps,
  resolveTailscaleIngressProps,
  tailscaleIngressRequirements,
  type FunnelIngressProps,
  type ResolvedFunnelIngressProps,
} from '../../src/internal';

/** One `allow` call: the grant it adds and what it registers. */
function funnelIngressAccess(
  source: string,
  props: ResolvedFunnelIngressProps,
  principals: unknown,
  options?: AllowOptions,
) {
  const { allowance, requirements } = exposureAllowance(
    funnelIngressTarget(source, props),
    principals,
    options,
  );
  return { grant: allowance.grants[0]!, requirements };
}

const MANAGED = { 'app.kubernetes.io/managed-by': 'tailkube' };
const SOURCE = "FunnelIngress 'my-public-app'";
const PUBLIC_APP: FunnelIngressProps = {
  public: true,
  hostname: 'my-public-app',
  defaultBackend: { serviceName: 'app', port: 8080 },
};

function resolve(props: FunnelIngressProps): ResolvedFunnelIngressProps {
  return resolveFunnelIngressProps(SOURCE, { name: 'my-public-app', namespace: 'web' }, props);
}

describe('renderFunnelIngress', () => {
  test('an Ingress with tailscale.com/funnel and its own tag', () => {
    expect(renderFunnelIngress(resolve(PUBLIC_APP))).toStrictEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'my-public-app',
        namespace: 'web',
        labels: MANAGED,
        annotations: { 'tailscale.com/funnel': 'true', 'tailscale.com/tags': 'tag:k8s-funnel' },
      },
      spec: {
        ingressClassName: 'tailscale',
        defaultBackend: { service: { name: 'app', port: { number: 8080 } } },
        tls: [{ hosts: ['my-public-app'] }],
      },
    });
  });
});

describe('funnelIngressRequirements', () => {
  test('funnel for exactly its tags', () => {
    expect(
      funnelIngressRequirements(SOURCE, resolve({ ...PUBLIC_APP, tags: ['tag:web', 'tag:edge'] })),
    ).toStrictEqual({
      source: SOURCE,
      proxyTags: ['tag:edge', 'tag:web'],
      claims: [{ kind: 'hostname', field: 'hostname', hostname: 'my-public-app' }],
      nodeAttrs: [{ target: ['tag:edge', 'tag:web'], attr: ['funnel'] }],
      backends: [{ field: 'defaultBackend', namespace: 'web', serviceName: 'app', port: 8080 }],
    });
  });

  test('in a tailnet, an ordinary Ingress beside it does not get the funnel attribute', () => {
    const model = new TailnetModel("Tailnet 'tailnet'");
    const operator = resolveTailscaleOperatorProps(
      "TailscaleOperator 'operator'",
      {},
      {
        defaultCredentials: OperatorCredentials.fromSecret('operator-oauth'),
        createsOAuthClient: false,
        createsFederatedIdentity: false,
      },
    );
    model.register(operatorRequirements("TailscaleOperator 'operator'", operator));
    model.register(funnelIngressRequirements(SOURCE, resolve(PUBLIC_APP)));
    const dashboard = resolveTailscaleIngressProps(
      "TailscaleIngress 'dash'",
      { name: 'dash', namespace: 'web' },
      { defaultBackend: { serviceName: 'dash', port: 80 } },
    );
    model.register(tailscaleIngressRequirements("TailscaleIngress 'dash'", dashboard));
    const { document } = model.seal();
    expect(document.nodeAttrs).toStrictEqual([{ target: ['tag:k8s-funnel'], attr: ['funnel'] }]);
    expect(document.tagOwners).toStrictEqual({
      'tag:k8s': ['tag:k8s-operator'],
      'tag:k8s-funnel': ['tag:k8s-operator'],
      'tag:k8s-operator': [],
    });
  });
});

describe('funnelIngressAccess', () => {
  test('tailnet principals reach the proxy on 443, and 80 with a redirect', () => {
    expect(
      funnelIngressAccess(SOURCE, resolve({ ...PUBLIC_APP, httpRedirect: true }), ['group:ops']).grant,
    ).toStrictEqual({
      src: ['group:ops'],
      dst: ['tag:k8s-funnel'],
      ip: ['tcp:443', 'tcp:80'],
    });
  });
});
