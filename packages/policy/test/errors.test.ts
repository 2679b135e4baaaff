import {
  REDACTED,
  TailkubeError,
  ValidationError,
  describeValue,
  isTailkubeError,
  isValidationError,
  redactSecrets,
} from '../src';
import type * as ErrorsModule from '../src/errors';

describe('ValidationError', () => {
  test('reads path, field, requirement, value and hint in the DESIGN.md shape', () => {
    // WHEN
    const error = new ValidationError({
      path: "Connector 'home/office'",
      field: 'advertiseRoutes[1]',
      value: '10.0.0.1/8',
      allowed: 'a masked CIDR such as "10.0.0.0/8"',
      hint: 'did you mean "10.0.0.0/8"?',
    });

    // THEN
    expect(error.message).toBe(
      'Connector \'home/office\': `advertiseRoutes[1]` must be a masked CIDR such as "10.0.0.0/8", got "10.0.0.1/8"; did you mean "10.0.0.0/8"?',
    );
    expect(error.path).toBe("Connector 'home/office'");
    expect(error.field).toBe('advertiseRoutes[1]');
    expect(error.value).toBe('10.0.0.1/8');
    expect(error.allowed).toBe('a masked CIDR such as "10.0.0.0/8"');
    expect(error.name).toBe('ValidationError');
    expect(error).toBeInstanceOf(TailkubeError);
    expect(error).toBeInstanceOf(Error);
  });

  test.each([
    ['a string', 'x', '"x"'],
    ['a number', 3, '3'],
    ['a list', ['a', 1], '["a",1]'],
    ['an object', { a: 1 }, '{"a":1}'],
    ['null', null, 'null'],
    ['nothing', undefined, 'nothing'],
    ['a symbol (no JSON form)', Symbol('s'), 'Symbol(s)'],
  ])('prints %s', (_name, value, printed) => {
    const error = new ValidationError({ path: "K 'p'", field: 'f', value, allowed: 'good' });
    expect(error.message).toBe(`K 'p': \`f\` must be good, got ${printed}`);
  });

  test('has no trailing separator without a hint', () => {
    const error = new ValidationError({ path: "K 'p'", field: 'f', value: 1, allowed: 'good', hint: '' });
    expect(error.message).toBe("K 'p': `f` must be good, got 1");
  });

  test.each([
    ['a string', 'a-secret-value-for-this-test'],
    ['an object', { clientSecret: 'a-secret-value-for-this-test' }],
  ])('never shows a secret value (%s)', (_name, value) => {
    // WHEN
    const error = new ValidationError({
      path: "TailscaleOperator 'op'",
      field: 'credentials.clientSecret',
      value,
      allowed: 'absent',
      secret: true,
    });

    // THEN
    expect(error.message).toBe(
      "TailscaleOperator 'op': `credentials.clientSecret` must be absent, got <redacted>",
    );
    expect(error.value).toBe(REDACTED);
    expect(REDACTED).toBe('<redacted>');
    const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    expect(everything).not.toContain('a-secret-value-for-this-test');
  });
});

describe('TailkubeError', () => {
  test('is an Error named TailkubeError', () => {
    const error = new TailkubeError('boom');
    expect(error.message).toBe('boom');
    expect(error.name).toBe('TailkubeError');
    expect(error).toBeInstanceOf(Error);
  });
});

describe('brand checks', () => {
  const validation = new ValidationError({ path: "K 'p'", field: 'f', value: 1, allowed: 'good' });

  test.each([
    ['a ValidationError', validation, true, true],
    ['a TailkubeError', new TailkubeError('x'), true, false],
    ['an Error', new Error('x'), false, false],
    [
      'a look-alike',
      { name: 'ValidationError', path: 'p', field: 'f', value: 1, allowed: 'a' },
      false,
      false,
    ],
    ['null', null, false, false],
    ['a string', 'ValidationError', false, false],
    ['undefined', undefined, false, false],
  ])('%s', (_name, value, tailkube, validationError) => {
    expect(isTailkubeError(value)).toBe(tailkube);
    expect(isValidationError(value)).toBe(validationError);
  });

  test('recognise errors from another copy of the library', () => {
    // GIVEN a ValidationError class loaded from a fresh module registry, as a second install would be
    let Other: typeof ValidationError | undefined;
    jest.isolateModules(() => {
      Other = jest.requireActual<typeof ErrorsModule>('../src/errors').ValidationError;
    });
    if (!Other) throw new Error('the isolated module did not load');
    expect(Other).not.toBe(ValidationError);

    // WHEN
    const foreign: unknown = new Other({ path: "K 'p'", field: 'f', value: 1, allowed: 'good' });

    // THEN instanceof fails across copies, the brand does not
    expect(foreign).not.toBeInstanceOf(ValidationError);
    expect(isValidationError(foreign)).toBe(true);
    expect(isTailkubeError(foreign)).toBe(true);
  });
});

describe('redaction of key shapes and URL userinfo', () => {
  /** A value shaped like a Tailscale key, built at run time (no key-shaped literal is committed). */
  const key = (): string => [['ts', 'key'].join(''), 'auth', `k${Date.now().toString(36)}CNTRL`].join('-');

  test('redactSecrets replaces a key and a URL userinfo, and nothing else', () => {
    const secret = key();
    expect(redactSecrets(`a ${secret} b`)).toBe('a <redacted> b');
    expect(redactSecrets('https://admin:hunter2@s3.example.com/bucket')).toBe(
      'https://<redacted>@s3.example.com/bucket',
    );
    expect(redactSecrets('alice@example.com at https://example.com/a@b')).toBe(
      'alice@example.com at https://example.com/a@b',
    );
  });

  test('redactSecrets takes linear time on a long run of scheme characters', () => {
    // Once quadratic: a match was tried from every word boundary of `a-a-a-…`, each scanning to the end.
    const long = 'a-'.repeat(50_000);
    const start = Date.now();
    expect(redactSecrets(long)).toBe(long);
    expect(Date.now() - start).toBeLessThan(1_000);
  });

  test('redactSecrets finds a scheme after any character that cannot be part of one', () => {
    expect(redactSecrets('x_https://admin:hunter2@example.com')).toBe('x_https://<redacted>@example.com');
    expect(redactSecrets('see(s3://a:b@bucket)')).toBe('see(s3://<redacted>@bucket)');
  });

  test.each(['path', 'field', 'value', 'allowed', 'hint'] as const)(
    'a key in the %s never reaches the message or the fields',
    (where) => {
      const secret = key();
      const details = { path: "K 'p'", field: 'f', value: 'v', allowed: 'good', hint: 'h' };
      const error = new ValidationError({ ...details, [where]: `x ${secret}` });
      const shown = `${error.message} ${error.path} ${error.field} ${String(error.value)} ${error.allowed}`;
      expect(shown).not.toContain(secret);
      expect(shown).toContain('<redacted>');
    },
  );

  test('a key inside an object value is redacted in its printed form', () => {
    const secret = key();
    const error = new ValidationError({ path: "K 'p'", field: 'f', value: { a: [secret] }, allowed: 'good' });
    expect(error.value).toBe('{"a":["<redacted>"]}');
    expect(error.message).not.toContain(secret);
  });

  test('every TailkubeError message is redacted', () => {
    const secret = key();
    expect(new TailkubeError(`failed with ${secret}`).message).toBe('failed with <redacted>');
  });

  test('describeValue never throws', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys');
        },
        get() {
          throw new Error('no get');
        },
      },
    );
    expect(describeValue(hostile)).toBe('an object');
    expect(describeValue(10n)).toBe('10n');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue('x'.repeat(500))).toHaveLength(201);
  });
});
