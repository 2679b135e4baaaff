import { ValidationError, resolveOperatorTailnetProps } from '../../src/internal';

const PATH = "OperatorTailnet 'app/second'";

describe('OperatorTailnet loginUrl', () => {
  // Built at run time: no file holds a credential-shaped literal.
  const password = ['hunter', '2'].join('');

  test('a URL with userinfo is refused, the credential redacted', () => {
    let error: unknown;
    try {
      resolveOperatorTailnetProps(PATH, 'second', {
        credentials: { secretName: 'second' },
        loginUrl: `https://admin:${password}@headscale.example.com`,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const { field, allowed, message } = error as ValidationError;
    expect(field).toBe('loginUrl');
    expect(allowed).toMatch(/without credentials/);
    expect(message).not.toContain(password);
  });

  test('a URL without userinfo passes', () => {
    expect(
      resolveOperatorTailnetProps(PATH, 'second', {
        credentials: { secretName: 'second' },
        loginUrl: 'https://headscale.example.com',
      }).loginUrl,
    ).toBe('https://headscale.example.com');
  });
});
