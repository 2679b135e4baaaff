import { ApiObject, Chart, Testing, type App } from 'cdk8s';
import * as cdk8s from '@tailkube/cdk8s';
import type { Ref } from '../arbitraries/shared';
import type { KubeObjectLike } from '../../helpers/schemas';
import { callVerbsThenChange, changeLater, noRefs, resolveRefs, type Plan } from './plan';
import type { Outcome } from './outcome';

type AnyConstruct = new (scope: Chart, id: string, props: unknown) => Record<string, unknown>;

/** Runs `plan` as a cdk8s app: every construct, its verbs, then the synthesis of every chart. */
export function runCdk8s(plan: Plan): Outcome {
  const texts: { where: string; text: string }[] = [];
  try {
    const app: App = Testing.app();
    const tailnetProps = resolveRefs(plan.tailnet, noRefs);
    new cdk8s.Tailnet(app, 'Tailnet', tailnetProps as cdk8s.TailnetProps);
    changeLater(tailnetProps);
    const refs = new Chart(app, 'refs');
    let operator: unknown;
    let count = 0;
    const build = (ref: Ref): unknown => {
      const id = `ref-${ref.kind.toLowerCase()}-${count++}`;
      switch (ref.kind) {
        case 'proxyClass':
          return new cdk8s.ProxyClass(refs, id);
        case 'proxyGroup':
          return new cdk8s.ProxyGroup(refs, id, { type: ref.options['type'] as cdk8s.ProxyGroupType });
        case 'recorder':
          return new cdk8s.Recorder(refs, id, { enableUI: true });
        case 'tailscaleProvider':
          // A Pulumi provider has no cdk8s counterpart.
          return undefined;
        case 'operatorTailnet':
          return new cdk8s.OperatorTailnet(refs, id, { credentials: { secretName: 'tailnet-credentials' } });
        case 'operator':
          return (operator ??= new cdk8s.TailscaleOperator(new Chart(app, 'operator'), 'Operator'));
        case 'service': {
          // `wrapped`: as a cdk8s-plus Service gives it, `{ apiObject }`.
          const { name, namespace, wrapped, ...spec } = ref.options;
          const apiObject = new ApiObject(new Chart(app, `${id}-chart`), id, {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: {
              name: name as string,
              ...(namespace !== undefined && { namespace: namespace as string }),
            },
            spec,
          });
          return wrapped === true ? { apiObject } : apiObject;
        }
      }
    };
    plan.steps.forEach((step, i) => {
      const chart = new Chart(
        app,
        `step-${i}`,
        step.chartNamespace === undefined ? {} : { namespace: step.chartNamespace },
      );
      const Construct = (cdk8s as unknown as Record<string, AnyConstruct>)[step.construct]!;
      const props = resolveRefs(step.props, build);
      const construct = new Construct(chart, step.id, props);
      if (step.construct === 'TailscaleOperator') operator ??= construct;
      callVerbsThenChange(construct, step, props, build);
    });
    const objects = app.charts.flatMap((chart) => Testing.synth(chart) as KubeObjectLike[]);
    const synthesis = cdk8s.Tailnet.of(app).synth();
    texts.push(
      { where: 'policy', text: synthesis.text },
      { where: 'report', text: JSON.stringify(synthesis.report) },
    );
    texts.push(...objects.map((obj, i) => ({ where: `object ${i}`, text: JSON.stringify(obj) })));
    return { objects, texts };
  } catch (error) {
    return { error, objects: [], texts };
  }
}
