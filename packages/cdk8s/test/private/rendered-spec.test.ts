import { ApiObject, App, Chart, JsonPatch, Lazy, Testing, type ApiObjectProps, type IResolver } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import { renderedSpec } from '../../src/private/rendered-spec';

/** A Service body with `spec`, as a program declares it. */
function service(spec: unknown): ApiObjectProps {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec };
}

/** Plain JSON-like data with holes (null, undefined) and lazy values anywhere. */
const specData: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.string().filter((key) => key !== '__proto__'),
      tie('value'),
      { maxKeys: 4 },
    ),
    tie('value').map((value) => Lazy.any({ produce: () => value })),
  ),
})).value;

/** What `read` returns, or the message it throws. */
function outcome(read: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: read() };
  } catch (error) {
    return { error: String(error) };
  }
}

describe('renderedSpec', () => {
  test('is the spec toJson() renders (or its error), for any spec with holes and lazy values', () => {
    fc.assert(
      fc.property(specData, (spec) => {
        const object = new ApiObject(Testing.chart(), 'Service', service(spec));
        const rendered = outcome(() => (object.toJson() as { spec?: unknown }).spec);
        expect(outcome(() => renderedSpec(object))).toStrictEqual(rendered);
      }),
      { numRuns: 500 },
    );
  });

  test('reads a Service the way toJson() does: ports, selector and a lazy port list', () => {
    const chart = Testing.chart();
    const object = new ApiObject(
      chart,
      'Service',
      service({
        type: null,
        selector: { app: 'web', tier: undefined },
        ports: Lazy.any({ produce: () => [{ name: 'http', port: 80, targetPort: 8080 }] }),
      }),
    );
    expect(renderedSpec(object)).toStrictEqual({
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });
  });

  test('sees what a JSON patch changes in the spec', () => {
    const object = new ApiObject(Testing.chart(), 'Service', service({ ports: [{ port: 80 }] }));
    object.addJsonPatch(JsonPatch.replace('/spec/ports/0/port', 8443));
    expect(renderedSpec(object)).toStrictEqual({ ports: [{ port: 8443 }] });
  });

  test('reads a generated class through its own toJson(): cdk8s-plus renders ports from its props', () => {
    const web = new kplus.Service(Testing.chart(), 'web', {
      ports: [{ port: 80, targetPort: 8080, name: 'http' }],
    });
    web.selectLabel('app', 'web');
    const object = ApiObject.of(web);
    expect(renderedSpec(object)).toStrictEqual(object.toJson().spec);
    expect(renderedSpec(object)).toMatchObject({ ports: [{ port: 80, targetPort: 8080 }] });
  });

  test("applies an app's own resolver as toJson() does, even to the whole object", () => {
    const everyService: IResolver = {
      resolve: (context) => {
        if (context.key.length !== 0) return;
        // The metadata is resolved on its own, from the root too.
        const body = context.value as { spec?: { type?: string } };
        if (body.spec !== undefined && body.spec.type === undefined) {
          context.replaceValue({ ...body, spec: { ...body.spec, type: 'ClusterIP' } });
        }
      },
    };
    const chart = new Chart(new App({ resolvers: [everyService] }), 'chart');
    const object = new ApiObject(chart, 'Service', service({ ports: [{ port: 80 }] }));
    expect(renderedSpec(object)).toStrictEqual({ ports: [{ port: 80 }], type: 'ClusterIP' });
  });

  test('reads a spec holding a `__proto__` key (as JSON.parse makes it) as toJson() renders it', () => {
    const spec = JSON.parse('{"selector": {"__proto__": {"app": "web"}, "tier": "front"}}') as object;
    const object = new ApiObject(Testing.chart(), 'Service', service(spec));
    expect(renderedSpec(object)).toStrictEqual((object.toJson() as { spec?: unknown }).spec);
  });

  test("fails as toJson() does on what is not plain data, with cdk8s's message", () => {
    class Port {
      readonly port = 80;
    }
    const object = new ApiObject(Testing.chart(), 'Service', service({ ports: [new Port()] }));
    expect(() => renderedSpec(object)).toThrow(
      /Failed serializing construct at path '.*Service'.*non-simple object of type 'Port'/,
    );
  });
});
