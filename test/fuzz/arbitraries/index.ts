import fc from 'fast-check';
import { DEFAULT_TAILNET, VERBS, type ConstructName, type Plan, type Step } from '../harness/plan';
import { apiServerProxy, grantAccessOptions, validApiServerProxy } from './api-server-proxy';
import { connector, validConnector } from './connector';
import { dnsConfig, validDnsConfig } from './dns-config';
import { egressService, validEgressService } from './egress-service';
import { funnelIngress, validFunnelIngress } from './funnel-ingress';
import { proxyClass, validProxyClass } from './proxy-class';
import { proxyGroup, validProxyGroup } from './proxy-group';
import { proxyGroupPolicy, validProxyGroupPolicy } from './proxy-group-policy';
import { recorder, validRecorder } from './recorder';
import { operatorTailnet, validOperatorTailnet } from './operator-tailnet';
import { peerRelay, validPeerRelay } from './peer-relay';
import { namespaceName, PROTO_NAMES, verbArgs, type PropsArbitrary } from './shared';
import { tailnet } from './tailnet';
import { tailscaleIngress, validTailscaleIngress } from './tailscale-ingress';
import { tailscaleOperator } from './tailscale-operator';
import { tailscaleService, validTailscaleService } from './tailscale-service';

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
  OperatorTailnet: operatorTailnet,
  PeerRelay: peerRelay,
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

/** One step of `name` with `propsOf` its props, and random verb calls unless `verbs` says. */
export function step(
  name: Exclude<ConstructName, 'Tailnet'>,
  propsOf: (generator: PropsArbitrary) => fc.Arbitrary<unknown>,
  verbs: fc.Arbitrary<Step['verbs']> = verbCalls(name),
): fc.Arbitrary<Step> {
  return fc.record(
    {
      construct: fc.constant(name),
      id: constructId,
      props: propsOf(GENERATORS[name]),
      verbs,
      chartNamespace: namespaceName,
    },
    { requiredKeys: ['construct', 'id', 'props', 'verbs'] },
  );
}

/**
 * Props that pass validation with one to three keys replaced by plausible values: each key's
 * values reach rendering (and the schemas) far more often than in wholly random props.
 */
function mutatedValid(name: ConstructName, generator: PropsArbitrary): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      VALID[name],
      generator.plausible,
      fc.uniqueArray(fc.constantFrom(...generator.keys), { minLength: 1, maxLength: 3 }),
    )
    .map(([valid, plausible, keys]) => {
      const props: Record<string, unknown> = { ...valid };
      for (const key of keys) {
        if (key in plausible) props[key] = plausible[key];
        else delete props[key];
      }
      return props;
    });
}

/** An operator with default props, so the proxies' tags have an owner. */
const OPERATOR_STEP: Step = { construct: 'TailscaleOperator', id: 'operator', props: {}, verbs: [] };

/**
 * A program around one construct with random props: the tailnet of {@link DEFAULT_TAILNET}, an
 * operator (unless the construct is the operator), the construct. For `Tailnet`, random tailnet
 * props with an operator and a Connector that grants access, so the policy is not empty.
 */
export function singleConstructPlan(name: ConstructName): fc.Arbitrary<Plan> {
  const propsOf = (generator: PropsArbitrary): fc.Arbitrary<unknown> =>
    fc.oneof(
      { weight: 3, arbitrary: generator.arbitrary },
      { weight: 3, arbitrary: mutatedValid(name, generator) },
      { weight: 1, arbitrary: VALID[name] },
    );
  if (name === 'Tailnet') {
    return propsOf(tailnet).map((props) => ({
      tailnet: props,
      steps: [
        OPERATOR_STEP,
        {
          construct: 'Connector',
          id: 'office',
          props: { subnetRouter: { advertiseRoutes: ['10.0.0.0/8'] } },
          // A principal every policy knows, so that only the tailnet's props decide the outcome.
          verbs: [{ principals: ['autogroup:member'], options: undefined }],
        },
      ],
    }));
  }
  // Valid props without verb calls too: plans that surely reach rendering, whatever the verbs'
  // random principals (which fail most often on a further tailnet, whose policy names no group).
  const constructStep = fc.oneof(
    { weight: 7, arbitrary: step(name, propsOf) },
    { weight: 1, arbitrary: step(name, () => VALID[name], fc.constant([])) },
  );
  const steps = constructStep.map((s) => (name === 'TailscaleOperator' ? [s] : [OPERATOR_STEP, s]));
  return steps.map((s) => ({ tailnet: DEFAULT_TAILNET, steps: s }));
}

/** The constructs a program may hold beside its operator. */
type ProgramConstruct = Exclude<ConstructName, 'Tailnet' | 'TailscaleOperator'>;

/** Props of each construct that pass validation, with names from a small pool, so names collide. */
export const VALID: Readonly<Record<ConstructName, fc.Arbitrary<Record<string, unknown>>>> = {
  TailscaleOperator: fc.record({ namespace: fc.constantFrom('tailscale', 'apps') }, { requiredKeys: [] }),
  Tailnet: fc.constant({ ...DEFAULT_TAILNET }),
  ProxyClass: validProxyClass,
  ProxyGroup: validProxyGroup,
  ProxyGroupPolicy: validProxyGroupPolicy,
  Connector: validConnector,
  TailscaleService: validTailscaleService,
  TailscaleIngress: validTailscaleIngress,
  FunnelIngress: validFunnelIngress,
  EgressService: validEgressService,
  ApiServerProxy: validApiServerProxy,
  Recorder: validRecorder,
  DNSConfig: validDnsConfig,
  OperatorTailnet: validOperatorTailnet,
  PeerRelay: validPeerRelay,
};

/**
 * A whole program: an operator, then two to six constructs of any kind, mostly with props that
 * pass validation and names from a small pool (so that programs synthesize and their objects'
 * identities collide when tailkube does not stop them), sometimes with plausible random props.
 */
export const programPlan: fc.Arbitrary<Plan> = fc
  .array(
    fc
      .constantFrom(
        ...(Object.keys(VALID) as ConstructName[]).filter(
          (name): name is ProgramConstruct => name !== 'Tailnet' && name !== 'TailscaleOperator',
        ),
      )
      .chain((name) =>
        fc.oneof(
          {
            weight: 4,
            arbitrary: fc.record({
              construct: fc.constant(name),
              id: fc.constantFrom('web', 'db', 'main'),
              props: VALID[name],
              verbs: fc.constant(
                VERBS[name] === 'allow' ? [{ principals: ['group:eng'], options: undefined }] : [],
              ),
              chartNamespace: fc.constantFrom('default', 'apps'),
            }),
          },
          { weight: 1, arbitrary: step(name, (generator) => generator.plausible) },
        ),
      ),
    { minLength: 2, maxLength: 6 },
  )
  .map((steps) => ({ tailnet: DEFAULT_TAILNET, steps: [OPERATOR_STEP, ...steps] }));
