import fc from 'fast-check';
import { CONSTRUCTS, DEFAULT_TAILNET, VERBS, type ConstructName, type Plan, type Step } from '../harness/plan';
import { apiServerProxy, grantAccessOptions } from './api-server-proxy';
import { connector } from './connector';
import { dnsConfig } from './dns-config';
import { egressService } from './egress-service';
import { funnelIngress } from './funnel-ingress';
import { proxyClass } from './proxy-class';
import { proxyGroup } from './proxy-group';
import { proxyGroupPolicy } from './proxy-group-policy';
import { recorder } from './recorder';
import { namespaceName, PROTO_NAMES, verbArgs, type PropsArbitrary } from './shared';
import { tailnet } from './tailnet';
import { tailscaleIngress } from './tailscale-ingress';
import { tailscaleOperator } from './tailscale-operator';
import { tailscaleService } from './tailscale-service';

/** Every construct's props generator. */
export const GENERATORS: Readonly<Record<ConstructName, PropsArbitrary>> = {
  TailscaleOperator: tailscaleOperator,
  ProxyClass: proxyClass,
  ProxyGroup: proxyGroup,
  ProxyGroupPolicy: proxyGroupPolicy,
  Connector: connector,
  TailscaleService: tailscaleService,
  TailscaleIngress: tailscaleIngress,
  FunnelIngress: funnelIngress,
  EgressService: egressService,
  ApiServerProxy: apiServerProxy,
  Recorder: recorder,
  DNSConfig: dnsConfig,
  Tailnet: tailnet,
};


/** Construct ids (cdk8s) and names (Pulumi): mostly plain, sometimes what trips lookups. */
export const constructId: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('web', 'db', 'office', 'main', 'a') },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_NAMES, 'Web', 'ｗｅｂ', 'a b', '') },
);

/** Verb calls for a construct: none for most runs of constructs that have a verb, up to two. */
function verbCalls(name: ConstructName): fc.Arbitrary<Step['verbs']> {
  const verb = VERBS[name];
  if (verb === undefined) return fc.constant([]);
  const call =
    verb === 'grantAccess'
      ? fc.record({ principals: verbArgs.map((a) => a.principals), options: grantAccessOptions })
      : verbArgs;
  return fc.array(call, { maxLength: 2 });
}

/** One step of `name` with `propsOf` its props. */
export function step(
  name: Exclude<ConstructName, 'Tailnet'>,
  propsOf: (generator: PropsArbitrary) => fc.Arbitrary<unknown>,
): fc.Arbitrary<Step> {
  return fc.record(
    {
      construct: fc.constant(name),
      id: constructId,
      props: propsOf(GENERATORS[name]),
      verbs: verbCalls(name),
      chartNamespace: namespaceName,
    },
    { requiredKeys: ['construct', 'id', 'props', 'verbs'] },
  );
}

/** An operator with default props, so the proxies' tags have an owner. */
const OPERATOR_STEP: Step = { construct: 'TailscaleOperator', id: 'operator', props: {}, verbs: [] };

/**
 * A program around one construct with random props: the tailnet of {@link DEFAULT_TAILNET}, an
 * operator (unless the construct is the operator), the construct. For `Tailnet`, random tailnet
 * props with an operator and a Connector that grants access, so the policy is not empty.
 */
export function singleConstructPlan(name: ConstructName): fc.Arbitrary<Plan> {
  if (name === 'Tailnet') {
    return tailnet.arbitrary.map((props) => ({
      tailnet: props,
      steps: [
        OPERATOR_STEP,
        {
          construct: 'Connector',
          id: 'office',
          props: { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } },
          verbs: [{ principals: ['group:eng'], options: undefined }],
        },
      ],
    }));
  }
  const steps = step(name, (generator) => generator.arbitrary).map((s) =>
    name === 'TailscaleOperator' ? [s] : [OPERATOR_STEP, s],
  );
  return steps.map((s) => ({ tailnet: DEFAULT_TAILNET, steps: s }));
}

/**
 * A whole program: an operator, then two to six constructs of any kind with plausible props (the
 * kind of program that synthesizes, so identities get compared), ids drawn from a small pool so
 * that names collide.
 */
export const programPlan: fc.Arbitrary<Plan> = fc
  .array(
    fc
      .constantFrom(...CONSTRUCTS.filter((c): c is Exclude<ConstructName, 'Tailnet' | 'TailscaleOperator'> => c !== 'Tailnet' && c !== 'TailscaleOperator'))
      .chain((name) => step(name, (generator) => generator.plausible)),
    { minLength: 2, maxLength: 6 },
  )
  .map((steps) => ({ tailnet: DEFAULT_TAILNET, steps: [OPERATOR_STEP, ...steps] }));
