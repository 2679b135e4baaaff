import { App, Chart } from 'cdk8s';
import * as cdk8s from '@tailkube/cdk8s';
import { isValidationError } from '@tailkube/core';
import * as pulumi from '@tailkube/pulumi';
import { tempDir } from './helpers/synth';

// A caller without a type checker: every construct of both flavors answers props of the wrong
// shape with a ValidationError (never a raw TypeError), and ids `constructs` cannot hold are
// refused first. One core checker serves both (validate/shape.ts).

/** Props each construct's constructor is given by a careless JavaScript caller. */
const BAD_PROPS: readonly [string, unknown][] = [
  ['null', null],
  ['a string', 'props'],
  ['an unknown key', { bogus: true }],
  ['a boolean name', { name: true }],
  ['a number where a list goes', { tags: 5 }],
];

type Make = (scope: Chart, id: string, props: unknown) => unknown;
type MakePulumi = (name: string, props: unknown) => unknown;

const CDK8S: readonly [string, Make][] = [
  ['TailscaleOperator', (s, id, p) => new cdk8s.TailscaleOperator(s, id, p as never)],
  ['Connector', (s, id, p) => new cdk8s.Connector(s, id, p as never)],
  ['ProxyClass', (s, id, p) => new cdk8s.ProxyClass(s, id, p as never)],
  ['ProxyGroup', (s, id, p) => new cdk8s.ProxyGroup(s, id, p as never)],
  ['ProxyGroupPolicy', (s, id, p) => new cdk8s.ProxyGroupPolicy(s, id, p as never)],
  ['Recorder', (s, id, p) => new cdk8s.Recorder(s, id, p as never)],
  ['DNSConfig', (s, id, p) => new cdk8s.DNSConfig(s, id, p as never)],
  ['EgressService', (s, id, p) => new cdk8s.EgressService(s, id, p as never)],
  ['TailscaleIngress', (s, id, p) => new cdk8s.TailscaleIngress(s, id, p as never)],
  ['FunnelIngress', (s, id, p) => new cdk8s.FunnelIngress(s, id, p as never)],
  ['TailscaleService', (s, id, p) => new cdk8s.TailscaleService(s, id, p as never)],
  ['ApiServerProxy', (s, id, p) => new cdk8s.ApiServerProxy(s, id, p as never)],
];

const PULUMI: readonly [string, MakePulumi][] = [
  ['TailscaleOperator', (n, p) => new pulumi.TailscaleOperator(n, p as never)],
  ['Connector', (n, p) => new pulumi.Connector(n, p as never)],
  ['ProxyClass', (n, p) => new pulumi.ProxyClass(n, p as never)],
  ['ProxyGroup', (n, p) => new pulumi.ProxyGroup(n, p as never)],
  ['ProxyGroupPolicy', (n, p) => new pulumi.ProxyGroupPolicy(n, p as never)],
  ['Recorder', (n, p) => new pulumi.Recorder(n, p as never)],
  ['DNSConfig', (n, p) => new pulumi.DNSConfig(n, p as never)],
  ['EgressService', (n, p) => new pulumi.EgressService(n, p as never)],
  ['TailscaleIngress', (n, p) => new pulumi.TailscaleIngress(n, p as never)],
  ['FunnelIngress', (n, p) => new pulumi.FunnelIngress(n, p as never)],
  ['TailscaleService', (n, p) => new pulumi.TailscaleService(n, p as never)],
  ['ApiServerProxy', (n, p) => new pulumi.ApiServerProxy(n, p as never)],
];

/** What `run` throws: a ValidationError, or the test fails with whatever else came out. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return 'nothing thrown';
}

describe('cdk8s', () => {
  const chart = () => new Chart(new App({ outdir: tempDir('js-callers') }), 'apps');

  describe.each(CDK8S)('%s', (kind, make) => {
    test.each(BAD_PROPS)('props that are %s give a ValidationError', (_name, props) => {
      const error = thrown(() => make(chart(), 'x', props));
      expect(isValidationError(error) ? error.path : error).toBe(`${kind} 'apps/x'`);
    });

    test.each(['__proto__', 'constructor'])('id %s is refused before constructs sees it', (id) => {
      const error = thrown(() => make(chart(), id, {}));
      expect(isValidationError(error) ? error.field : error).toBe('id');
      expect(Object.prototype).not.toHaveProperty('node');
    });
  });
});

describe('Pulumi', () => {
  describe.each(PULUMI)('%s', (kind, make) => {
    test.each([...BAD_PROPS, ['undefined', undefined] as const])(
      'args that are %s give a ValidationError',
      async (_name, props) => {
        let error: unknown = 'nothing thrown';
        await pulumi.runWithMocks(() =>
          pulumi.tailnetProgram({ allowAll: 'deny' }, () => {
            error = thrown(() => make('x', props));
          }),
        );
        // `undefined` is the default for constructs whose props are all optional.
        if (props === undefined && !isValidationError(error)) return;
        expect(isValidationError(error) ? error.path : error).toBe(`${kind} 'x'`);
      },
    );
  });
});
