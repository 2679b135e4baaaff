import { MAX_DEPTH, parseHujson, stringifyHujson } from '../src';
import { commented, entry, isCommented } from '../src/hujson';

describe('stringifyHujson', () => {
  test('prints Tailscale’s layout: tabs, one entry a line, trailing commas, short lists inline', () => {
    // GIVEN
    const policy = {
      tagOwners: { 'tag:k8s': ['tag:k8s-operator'], 'tag:k8s-operator': [] },
      grants: [{ src: ['group:admins'], dst: ['tag:k8s'], ip: ['443'] }],
      autoApprovers: { exitNode: ['tag:k8s'] },
    };

    // WHEN / THEN
    expect(stringifyHujson(policy)).toBe(
      [
        '{',
        '\t"tagOwners": {',
        '\t\t"tag:k8s": ["tag:k8s-operator"],',
        '\t\t"tag:k8s-operator": [],',
        '\t},',
        '\t"grants": [',
        '\t\t{',
        '\t\t\t"src": ["group:admins"],',
        '\t\t\t"dst": ["tag:k8s"],',
        '\t\t\t"ip": ["443"],',
        '\t\t},',
        '\t],',
        '\t"autoApprovers": {',
        '\t\t"exitNode": ["tag:k8s"],',
        '\t},',
        '}',
      ].join('\n'),
    );
  });

  test.each<[string, unknown, string]>([
    ['an empty object', {}, '{}'],
    ['an empty list', [], '[]'],
    ['a string', 'a"b', '"a\\"b"'],
    ['a number', 1, '1'],
    ['null', null, 'null'],
    ['a boolean', true, 'true'],
    ['a list of scalars of up to 80 characters on one line', ['a'.repeat(76)], `["${'a'.repeat(76)}"]`],
    [
      'a list of scalars over 80 characters one item a line',
      ['a'.repeat(77)],
      `[\n\t"${'a'.repeat(77)}",\n]`,
    ],
    ['a list of objects as a block', [{ a: 1 }], '[\n\t{\n\t\t"a": 1,\n\t},\n]'],
    ['an object without its undefined fields', { a: undefined, b: 1 }, '{\n\t"b": 1,\n}'],
    ['an object of only undefined fields as empty', { a: undefined }, '{}'],
  ])('prints %s', (_name, value, text) => {
    expect(stringifyHujson(value)).toBe(text);
  });

  test('keeps the given key order (callers sort)', () => {
    expect(stringifyHujson({ b: 1, a: 2 })).toBe('{\n\t"b": 1,\n\t"a": 2,\n}');
  });

  test('puts a commented value’s comment on the line above it', () => {
    const value = { tagOwners: { 'tag:k8s': commented('tailkube: TailscaleOperator', ['tag:op']) } };
    expect(stringifyHujson(value)).toBe(
      '{\n\t"tagOwners": {\n\t\t// tailkube: TailscaleOperator\n\t\t"tag:k8s": ["tag:op"],\n\t},\n}',
    );
    expect(stringifyHujson([commented('c', { a: 1 })])).toBe('[\n\t// c\n\t{\n\t\t"a": 1,\n\t},\n]');
    expect(stringifyHujson(commented('c', 1))).toBe('1');
  });

  test('is read back by parseHujson as the same value', () => {
    const value = { a: [1, 'x', null], b: { c: [{ d: true }] }, e: [] };
    const parsed = parseHujson(stringifyHujson(value));
    expect(parsed.ok && parsed.value).toStrictEqual(value);
  });
});

describe('helpers', () => {
  test('entry prints one line with its comment and a trailing comma', () => {
    expect(entry(commented('why', 1), '"a": 1', 2)).toBe('\t\t// why\n\t\t"a": 1,');
    expect(entry(1, '"a": 1', 1)).toBe('\t"a": 1,');
  });

  test('entry indents with the given unit, as a base policy indented with spaces needs', () => {
    expect(entry(commented('why', 1), '"a": 1', 2, '  ')).toBe('    // why\n    "a": 1,');
  });

  test.each<[unknown, boolean]>([
    [commented('c', 1), true],
    [{ comment: 'c', value: 1 }, false],
    [null, false],
  ])('isCommented(%j) is %j', (value, expected) => {
    expect(isCommented(value)).toBe(expected);
  });
});

describe('parseHujson', () => {
  test('reads comments and trailing commas', () => {
    const text = '// head\n{\n  /* block */ "a": [1, 2,], // tail\n  "b": {"c": true,},\n}\n';
    const parsed = parseHujson(text);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.value).toStrictEqual({ a: [1, 2], b: { c: true } });
    expect(parsed.ok && parsed.tree.type).toBe('object');
  });

  test.each([
    [
      'a missing comma',
      '{\n  "grants": [\n    {"src": ["a"] "dst": ["b"]},\n  ],\n}',
      3,
      19,
      'CommaExpected',
    ],
    ['a missing colon', '{\n\t"a" 1\n}', 2, 6, 'ColonExpected'],
    ['an unclosed object', '{\n  "a": 1\n', 3, 1, 'CloseBraceExpected'],
    ['a trailing comma at the end of the text', '{\n  "a": 1,\n', 3, 1, 'PropertyNameExpected'],
    ['an empty text', '', 1, 1, 'ValueExpected'],
    ['an object open at the end', '{"tagOwners": {', 1, 16, 'CloseBraceExpected'],
    ['a list open at the end', '[', 1, 2, 'CloseBracketExpected'],
    ['a list ending in a comma at the end of the text', '[1,', 1, 4, 'ValueExpected'],
    ['a key without its value', '{"a":', 1, 6, 'ValueExpected'],
    ['a bad escape', '{"a\\q": 1}', 1, 4, 'InvalidEscapeCharacter'],
    ['text after the value', '{} {}', 1, 4, 'EndOfFileExpected'],
  ])('reports %s with its 1-based line and column', (_name, text, line, column, error) => {
    expect(parseHujson(text)).toStrictEqual({ ok: false, fault: { line, column, error } });
  });
});

describe('parseHujson reads as Tailscale’s HuJSON reader (github.com/tailscale/hujson) does', () => {
  test.each<[string, string, unknown]>([
    ['a // comment ends at LF', '{\n// note\n"a": 1}\n', { a: 1 }],
    ['a // comment ends at the LF of a CRLF line', '{\r\n// note\r\n"a": 1}\r\n', { a: 1 }],
    ['a lone CR does not end a // comment', '{"a": 1, // note\r"b": 2\n}\n', { a: 1 }],
    ['a /* */ comment may span lone CRs', '{/* x\r y */ "a": 1}', { a: 1 }],
    ['a lone CR between values is whitespace', '{"a": 1,\r"b": 2}', { a: 1, b: 2 }],
  ])('%s', (_name, text, value) => {
    const parsed = parseHujson(text);
    expect(parsed.ok && parsed.value).toStrictEqual(value);
  });

  test('refuses a file of CR-only lines whose // comment swallows the rest, naming the line', () => {
    // GIVEN every line ends in CR alone: the first comment runs to the end of the text
    const text = '{\r// owners\r"tagOwners": {"tag:k8s": []},\r}\r';

    // THEN the reader finds no LF to end it
    expect(parseHujson(text)).toStrictEqual({
      ok: false,
      fault: {
        line: 1,
        column: 3,
        error: 'parsing comment: unexpected EOF (a // comment must end with a line feed)',
      },
    });
  });

  test('refuses a // comment on the last line without a line feed', () => {
    expect(parseHujson('{}\n// end').ok).toBe(false);
  });

  test.each([MAX_DEPTH + 1, 20_000])('refuses nesting %i deep with a fault, never a RangeError', (depth) => {
    const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const parsed = parseHujson(text);
    expect(parsed).toStrictEqual({
      ok: false,
      fault: {
        line: 1,
        column: MAX_DEPTH + 1,
        error: `exceeded max depth of ${MAX_DEPTH} nested objects and lists`,
      },
    });
  });

  test('reads nesting up to the limit', () => {
    const text = `${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`;
    expect(parseHujson(text).ok).toBe(true);
  });

  test('keeps a "__proto__" key as an own entry, never as the object’s prototype', () => {
    const parsed = parseHujson('{"tagOwners": {"__proto__": ["x@example.com"], "tag:a": []}}');
    const tagOwners = (parsed.ok ? parsed.value : {}) as { tagOwners: object };
    expect(Object.keys(tagOwners.tagOwners)).toEqual(['__proto__', 'tag:a']);
    expect(Object.getPrototypeOf(tagOwners.tagOwners)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('keeps the last of repeated keys, as JSON.parse and Go’s decoder do', () => {
    const parsed = parseHujson('{"a": 1, "a": 2}');
    expect(parsed.ok && parsed.value).toStrictEqual({ a: 2 });
  });
});
