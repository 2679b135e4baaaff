import { REDACTED, TailkubeError, ValidationError, isTailkubeError, isValidationError } from '../src';
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
