import {
  ValidationError,
  checkedConstructPath,
  resolveConnectorProps,
  resolveOperatorTailnetProps,
  resolveProxyClassProps,
  resolveTailscaleOperatorProps,
  OperatorCredentials,
  TailnetModel,
  type ConnectorProps,
  type ProxyClassProps,
} from '../../src/internal';

const PATH = "Connector 'home/office'";

/** The error `run` throws; fails the test on any other outcome, a raw TypeError included. */
function failure(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

/** What a JavaScript caller can pass where TypeScript would refuse it. */
function connector(props: unknown): ValidationError {
  return failure(() => resolveConnectorProps(PATH, 'office', props as ConnectorProps));
}

function fields(error: ValidationError) {
  return { path: error.path, field: error.field, value: error.value, allowed: error.allowed };
}

describe('wrong types from JavaScript callers', () => {
  test.each([
    ['a boolean name', { exitNode: true, name: true }, 'name', true, 'a string'],
    ['tags as one string', { exitNode: true, tags: 'tag:k8s' }, 'tags', 'tag:k8s', 'a list of strings'],
    ['a number in tags', { exitNode: true, tags: ['tag:a', 7] }, 'tags[1]', 7, 'a string'],
    [
      'routes as an object',
      { subnetRouter: { advertiseRoutes: {} } },
      'subnetRouter.advertiseRoutes',
      {},
      'a list of strings',
    ],
    [
      'a missing required field',
      { subnetRouter: {} },
      'subnetRouter.advertiseRoutes',
      undefined,
      'a list of strings',
    ],
    ['replicas as a string', { exitNode: true, replicas: '2' }, 'replicas', '2', 'a number'],
    ['exitNode as a string', { exitNode: 'yes' }, 'exitNode', 'yes', 'true or false'],
    [
      'a proxyClass without a name',
      { exitNode: true, proxyClass: {} },
      'proxyClass.name',
      undefined,
      'a string',
    ],
  ])('%s names the field and the type', (_name, props, field, value, allowed) => {
    expect(fields(connector(props))).toStrictEqual({ path: PATH, field, value, allowed });
  });

  test.each([
    ['undefined', undefined],
    ['null', null],
    ['a list', []],
    ['a string', 'exitNode'],
  ])('props that are %s are refused as a whole', (_name, props) => {
    const error = connector(props);
    expect(error.field).toBe('props');
    expect(error.allowed).toBe('an object');
  });

  test('a BigInt or a Symbol is printed, not converted', () => {
    expect(connector({ exitNode: true, replicas: 2n }).message).toBe(
      `${PATH}: \`replicas\` must be a number, got 2n`,
    );
    expect(connector({ exitNode: true, hostname: Symbol('h') }).message).toBe(
      `${PATH}: \`hostname\` must be a string, got Symbol(h)`,
    );
  });

  test('an unknown key is an error listing the known ones, with a near miss suggested', () => {
    const error = connector({ exitNode: true, hostName: 'office' });
    expect(error.field).toBe('hostName');
    expect(error.allowed).toMatch(/^one of the known keys: name, subnetRouter, exitNode/);
    expect(error.message).toMatch(/did you mean `hostname`\?$/);
  });

  test('a throwing getter becomes a ValidationError naming its field', () => {
    const props = {
      exitNode: true,
      get hostname(): string {
        throw new Error('boom');
      },
    };
    const error = connector(props);
    expect(error.field).toBe('hostname');
    expect(error.message).toContain('boom');
  });

  test('a cyclic value, or one whose toString throws, is printed without throwing', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const hostile = {
      toString() {
        throw new Error('no');
      },
      toJSON() {
        throw new Error('no');
      },
    };
    expect(connector({ exitNode: true, name: cyclic }).message).toContain('{"a":1,"self":"[repeated]"}');
    expect(connector({ exitNode: true, name: hostile }).message).toContain('got an object');
  });

  test('the credentials factories are checked too', () => {
    const error = failure(() =>
      resolveTailscaleOperatorProps(
        "TailscaleOperator 'ops/operator'",
        {
          credentials: OperatorCredentials.fromSecret(5 as unknown as string),
        },
        {
          defaultCredentials: OperatorCredentials.oauthClient(),
          createsOAuthClient: true,
          createsFederatedIdentity: true,
        },
      ),
    );
    expect(fields(error)).toMatchObject({ field: 'credentials.secretName', value: 5, allowed: 'a string' });
  });
});

describe('names Object.prototype owns', () => {
  const PROXY_CLASS = "ProxyClass 'platform/prod'";
  const proxyClass = (props: unknown) =>
    failure(() => resolveProxyClassProps(PROXY_CLASS, 'prod', props as ProxyClassProps));

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'a label key %s is refused, and Object.prototype is untouched',
    (key) => {
      // GIVEN a label map as JSON.parse builds it: the key is an own property
      const labels = JSON.parse(`{"${key}": "x", "app": "web"}`) as Record<string, string>;

      // WHEN
      const error = proxyClass({ statefulSet: { labels } });

      // THEN
      expect(fields(error)).toStrictEqual({
        path: PROXY_CLASS,
        field: `statefulSet.labels.${key}`,
        value: key,
        allowed:
          'a key other than the names every JavaScript object inherits (`__proto__`, `constructor`...)',
      });
      expect(Object.prototype).not.toHaveProperty('x');
      expect(({} as Record<string, unknown>)['app']).toBeUndefined();
    },
  );

  test('an inherited key is not read as a label', () => {
    const labels = Object.create({ inherited: 'yes' }) as Record<string, string>;
    labels['app'] = 'web';
    expect(() => resolveProxyClassProps(PROXY_CLASS, 'prod', { statefulSet: { labels } })).not.toThrow();
  });

  test.each([
    ['__proto__', "Connector 'app/__proto__'"],
    ['constructor', "Connector 'app/constructor'"],
  ])('a construct id %s is refused before any construct sees it', (id, path) => {
    const error = failure(() => checkedConstructPath('Connector', 'app', id));
    expect(fields(error)).toStrictEqual({
      path,
      field: 'id',
      value: id,
      allowed: 'a name other than the ones every JavaScript object inherits (`__proto__`, `constructor`...)',
    });
  });

  test.each([
    ['a number', 5, "Connector 'app/<id>'"],
    ['empty', '', "Connector 'app/<id>'"],
    ['a symbol', Symbol('x'), "Connector 'app/<id>'"],
    ['props passed as the id', { basePolicy: '{}' }, "Connector 'app/<id>'"],
  ])('a construct id that is %s is refused', (_name, id, path) => {
    const error = failure(() => checkedConstructPath('Connector', 'app', id));
    expect(error.path).toBe(path);
    expect(error.allowed).toBe('a non-empty string');
  });
});

describe('a base policy holding a credential', () => {
  // Built at run time: no file holds a key-shaped literal.
  const password = ['hunter', '2'].join('');
  const userinfo = `{"groups": {"group:x": ["https://admin:${password}@example.com"]}}`;
  const key = `{"groups": {"group:x": ["${['ts', 'key'].join('')}-auth-k123CNTRL"]}}`;

  test.each([
    ['a URL with userinfo', userinfo],
    ['a Tailscale key', key],
  ])("an OperatorTailnet's basePolicy holding %s is refused, redacted", (_name, basePolicy) => {
    const error = failure(() =>
      resolveOperatorTailnetProps("OperatorTailnet 'app/second'", 'second', {
        credentials: { secretName: 'second' },
        basePolicy,
      }),
    );
    expect(error.field).toBe('basePolicy');
    expect(error.allowed).toMatch(/Tailscale key/);
    expect(error.message).not.toContain(password);
    expect(error.message).not.toContain('CNTRL');
  });

  test("the program's own tailnet refuses one too", () => {
    const error = failure(
      () => new TailnetModel("Tailnet 'app'", { allowAll: 'deny', basePolicy: userinfo }),
    );
    expect(error.field).toBe('basePolicy');
    expect(error.message).not.toContain(password);
  });

  test('a policy with an e-mail address and a URL without userinfo passes', () => {
    const basePolicy =
      '{"groups": {"group:x": ["alice@example.com"]}, "hosts": {"web": "10.0.0.1"}} // https://example.com\n';
    expect(() =>
      resolveOperatorTailnetProps("OperatorTailnet 'app/second'", 'second', {
        credentials: { secretName: 'second' },
        basePolicy,
      }),
    ).not.toThrow();
  });
});

describe('objects that are not plain data', () => {
  const SUPPORT = {
    defaultCredentials: OperatorCredentials.oauthClient(),
    createsOAuthClient: true,
    createsFederatedIdentity: true,
  };

  test.each([
    ['a Map of requests', { resources: { requests: new Map([['cpu', '1']]) } }, 'resources.requests'],
    ['a Date as affinity', { affinity: new Date(0) }, 'affinity'],
    ['a RegExp as podAnnotations', { podAnnotations: /re/ }, 'podAnnotations'],
  ])('%s is refused with the field named', (_name, props, field) => {
    const error = failure(() =>
      resolveTailscaleOperatorProps("TailscaleOperator 'ops/operator'", props as never, SUPPORT),
    );
    expect(error.field).toBe(field);
  });

  test('a map without a prototype is accepted', () => {
    const requests = Object.assign(Object.create(null) as Record<string, string>, { cpu: '100m' });
    expect(() =>
      resolveTailscaleOperatorProps("TailscaleOperator 'ops/operator'", { resources: { requests } }, SUPPORT),
    ).not.toThrow();
  });
});
