import { parseHujson, stringifyHujson } from '../src';
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
  ])('reports %s with its 1-based line and column', (_name, text, line, column, error) => {
    expect(parseHujson(text)).toStrictEqual({ ok: false, fault: { line, column, error } });
  });
});
