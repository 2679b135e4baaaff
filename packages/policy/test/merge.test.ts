import fc from 'fast-check';
import { canConnect, EMPTY_POLICY, GENERATED_HEADER, isAllowAll, ValidationError } from '../src';
import { canonical } from '../src/merge';
import {
  parseBasePolicy,
  renderPolicy,
  type AllowAllChoice,
  type GeneratedEntry,
  type RenderOptions,
} from '../src/merge';

const TAILNET = "Tailnet 'app/tailnet'";
const OPERATOR = "TailscaleOperator 'app/operator'";
const INGRESS = "TailscaleIngress 'app/web'";
const CONNECTOR = "Connector 'app/office'";

const GRANT = { src: ['group:admins'], dst: ['tag:k8s'], ip: ['443'] };
const ENTRIES: GeneratedEntry[] = [
  { kind: 'item', parent: ['grants'], value: GRANT, sources: [INGRESS] },
  { kind: 'key', parent: ['tagOwners'], key: 'tag:k8s-operator', value: [], sources: [OPERATOR] },
  {
    kind: 'key',
    parent: ['autoApprovers', 'routes'],
    key: '10.0.0.0/8',
    value: ['tag:k8s'],
    sources: [CONNECTOR],
  },
  { kind: 'key', parent: ['tagOwners'], key: 'tag:k8s', value: ['tag:k8s-operator'], sources: [OPERATOR] },
];

/** Merges with the allow-all choice made (`deny`): these tests are about the text, not that choice. */
function merge(base: string | undefined, entries: readonly GeneratedEntry[] = ENTRIES) {
  return renderPolicy(parseBasePolicy(TAILNET, base), entries, { allowAll: 'deny' });
}

function thrown(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('rendering from scratch', () => {
  test('writes the header and the entries in section order, keys sorted, each marked', () => {
    expect(merge(undefined).text).toBe(
      GENERATED_HEADER +
        lines(
          '{',
          '\t"tagOwners": {',
          "\t\t// tailkube: TailscaleOperator 'app/operator'",
          '\t\t"tag:k8s": ["tag:k8s-operator"],',
          "\t\t// tailkube: TailscaleOperator 'app/operator'",
          '\t\t"tag:k8s-operator": [],',
          '\t},',
          '\t"grants": [',
          "\t\t// tailkube: TailscaleIngress 'app/web'",
          '\t\t{',
          '\t\t\t"src": ["group:admins"],',
          '\t\t\t"dst": ["tag:k8s"],',
          '\t\t\t"ip": ["443"],',
          '\t\t},',
          '\t],',
          '\t"autoApprovers": {',
          '\t\t"routes": {',
          "\t\t\t// tailkube: Connector 'app/office'",
          '\t\t\t"10.0.0.0/8": ["tag:k8s"],',
          '\t\t},',
          '\t},',
          '}',
        ),
    );
  });

  test('returns the document and what it added by section', () => {
    const rendered = merge(undefined);
    expect(rendered.document).toStrictEqual({
      tagOwners: { 'tag:k8s': ['tag:k8s-operator'], 'tag:k8s-operator': [] },
      grants: [GRANT],
      autoApprovers: { routes: { '10.0.0.0/8': ['tag:k8s'] } },
    });
    expect(rendered.added).toStrictEqual({ grants: 1, tagOwners: 2, 'autoApprovers.routes': 1 });
  });

  test('names every source of an entry in its comment', () => {
    const text = merge(undefined, [
      { kind: 'key', parent: ['tagOwners'], key: 'tag:k8s', value: [], sources: [INGRESS, OPERATOR] },
    ]).text;
    expect(text).toContain("\t\t// tailkube: TailscaleIngress 'app/web', TailscaleOperator 'app/operator'\n");
  });

  test('writes an empty policy when nothing is needed', () => {
    expect(merge(undefined, []).text).toBe(EMPTY_POLICY);
    expect(merge(undefined, []).document).toStrictEqual({ grants: [] });
  });
});

describe('merging into a base policy', () => {
  const BASE = lines(
    '// Our tailnet.',
    '{',
    '  // Admins.',
    '  "groups": {',
    '    "group:admins": ["alice@example.com"], // Alice',
    '  },',
    '',
    '  "tagOwners": {',
    '    "tag:existing": ["group:admins"],',
    '  },',
    '',
    '  /* Grants go here. */',
    '  "grants": [',
    '    {"src": ["group:admins"], "dst": ["*"], "ip": ["*"]},',
    '  ],',
    '}',
  );

  test('keeps comments, blank lines, trailing commas and the spaces indentation', () => {
    expect(merge(BASE).text).toBe(
      lines(
        '// Our tailnet.',
        '{',
        '  // Admins.',
        '  "groups": {',
        '    "group:admins": ["alice@example.com"], // Alice',
        '  },',
        '',
        '  "tagOwners": {',
        '    "tag:existing": ["group:admins"],',
        "    // tailkube: TailscaleOperator 'app/operator'",
        '    "tag:k8s": ["tag:k8s-operator"],',
        "    // tailkube: TailscaleOperator 'app/operator'",
        '    "tag:k8s-operator": [],',
        '  },',
        '',
        '  /* Grants go here. */',
        '  "grants": [',
        '    {"src": ["group:admins"], "dst": ["*"], "ip": ["*"]},',
        "    // tailkube: TailscaleIngress 'app/web'",
        '    {',
        '      "src": ["group:admins"],',
        '      "dst": ["tag:k8s"],',
        '      "ip": ["443"],',
        '    },',
        '  ],',
        '  "autoApprovers": {',
        '    "routes": {',
        "      // tailkube: Connector 'app/office'",
        '      "10.0.0.0/8": ["tag:k8s"],',
        '    },',
        '  },',
        '}',
      ),
    );
  });

  test('adds the missing commas of a base without trailing commas', () => {
    const base = lines('{', '\t"tagOwners": {', '\t\t"tag:existing": ["group:admins"]', '\t}', '}');
    expect(merge(base).text).toBe(
      lines(
        '{',
        '\t"tagOwners": {',
        '\t\t"tag:existing": ["group:admins"],',
        "\t\t// tailkube: TailscaleOperator 'app/operator'",
        '\t\t"tag:k8s": ["tag:k8s-operator"],',
        "\t\t// tailkube: TailscaleOperator 'app/operator'",
        '\t\t"tag:k8s-operator": [],',
        '\t},',
        '\t"grants": [',
        "\t\t// tailkube: TailscaleIngress 'app/web'",
        '\t\t{',
        '\t\t\t"src": ["group:admins"],',
        '\t\t\t"dst": ["tag:k8s"],',
        '\t\t\t"ip": ["443"],',
        '\t\t},',
        '\t],',
        '\t"autoApprovers": {',
        '\t\t"routes": {',
        "\t\t\t// tailkube: Connector 'app/office'",
        '\t\t\t"10.0.0.0/8": ["tag:k8s"],',
        '\t\t},',
        '\t},',
        '}',
      ),
    );
  });

  test('fills empty sections written on one line', () => {
    const base = lines('{', '    "tagOwners": {},', '    "grants": [],', '    "autoApprovers": {},', '}');
    expect(merge(base).text).toBe(
      lines(
        '{',
        '    "tagOwners": {',
        "        // tailkube: TailscaleOperator 'app/operator'",
        '        "tag:k8s": ["tag:k8s-operator"],',
        "        // tailkube: TailscaleOperator 'app/operator'",
        '        "tag:k8s-operator": [],',
        '    },',
        '    "grants": [',
        "        // tailkube: TailscaleIngress 'app/web'",
        '        {',
        '            "src": ["group:admins"],',
        '            "dst": ["tag:k8s"],',
        '            "ip": ["443"],',
        '        },',
        '    ],',
        '    "autoApprovers": {',
        '        "routes": {',
        "            // tailkube: Connector 'app/office'",
        '            "10.0.0.0/8": ["tag:k8s"],',
        '        },',
        '    },',
        '}',
      ),
    );
  });

  test('adds after a comment-only section and before a trailing comment, keeping both', () => {
    // GIVEN a list holding only a comment, and a last entry without comma but with a comment
    const base = lines(
      '{',
      '  "tagOwners": {',
      '    "tag:existing": [] // keep me, please',
      '  },',
      '  "grants": [',
      '    // none yet',
      '  ],',
      '}',
    );

    // WHEN
    const text = merge(base, ENTRIES.slice(0, 2)).text;

    // THEN
    expect(text).toBe(
      lines(
        '{',
        '  "tagOwners": {',
        '    "tag:existing": [], // keep me, please',
        "    // tailkube: TailscaleOperator 'app/operator'",
        '    "tag:k8s-operator": [],',
        '  },',
        '  "grants": [',
        '    // none yet',
        "    // tailkube: TailscaleIngress 'app/web'",
        '    {',
        '      "src": ["group:admins"],',
        '      "dst": ["tag:k8s"],',
        '      "ip": ["443"],',
        '    },',
        '  ],',
        '}',
      ),
    );
  });

  test('follows the line endings of a CRLF base', () => {
    // GIVEN
    const base = '{\r\n  "tagOwners": {\r\n    "tag:a": [],\r\n  },\r\n}\r\n';

    // WHEN
    const text = merge(base, ENTRIES.slice(1, 2)).text;

    // THEN
    expect(text).toBe(
      [
        '{',
        '  "tagOwners": {',
        '    "tag:a": [],',
        "    // tailkube: TailscaleOperator 'app/operator'",
        '    "tag:k8s-operator": [],',
        '  },',
        '}',
        '',
      ].join('\r\n'),
    );
  });

  test('merges into a minified base', () => {
    const rendered = merge('{"tagOwners":{"tag:existing":["group:admins"]}}');
    expect(rendered.document).toStrictEqual({
      tagOwners: {
        'tag:existing': ['group:admins'],
        'tag:k8s': ['tag:k8s-operator'],
        'tag:k8s-operator': [],
      },
      grants: [GRANT],
      autoApprovers: { routes: { '10.0.0.0/8': ['tag:k8s'] } },
    });
    expect(rendered.text.startsWith('{"tagOwners":{"tag:existing":["group:admins"],\n')).toBe(true);
  });

  test('leaves every byte of the base in place (the base is a subsequence of the result)', () => {
    // Only insertions: removing what was added gives the base back.
    const merged = merge(BASE).text;
    let at = 0;
    for (const char of BASE) {
      at = merged.indexOf(char, at) + 1;
      expect(at).toBeGreaterThan(0);
    }
  });

  test('is idempotent: merging into its own output changes nothing', () => {
    const once = merge(BASE);
    const twice = merge(once.text);
    expect(twice.text).toBe(once.text);
    expect(twice.added).toStrictEqual({});
  });

  test('does not duplicate entries the base holds already', () => {
    // GIVEN a base that holds the grant (keys in another order), the tag owners (with more owners)
    // and the route
    const base = lines(
      '{',
      '  "tagOwners": {',
      '    "tag:k8s-operator": ["group:admins"],',
      '    "tag:k8s": ["group:admins", "tag:k8s-operator"],',
      '  },',
      '  "grants": [{"ip": ["443"], "dst": ["tag:k8s"], "src": ["group:admins"]}],',
      '  "autoApprovers": {"routes": {"10.0.0.0/8": ["tag:k8s"]}},',
      '}',
    );

    // WHEN
    const rendered = merge(base);

    // THEN
    expect(rendered.text).toBe(base);
    expect(rendered.added).toStrictEqual({});
  });

  test('fails when the base defines a generated key differently, naming the construct and the base', () => {
    // GIVEN
    const base = lines('{', '  "tagOwners": {', '    "tag:k8s": ["group:admins"],', '  },', '}');

    // WHEN
    const error = thrown(() => merge(base));

    // THEN
    expect({
      path: error.path,
      field: error.field,
      value: error.value,
      allowed: error.allowed,
    }).toStrictEqual({
      path: OPERATOR,
      field: 'tagOwners["tag:k8s"]',
      value: ['group:admins'],
      allowed: 'a list that includes ["tag:k8s-operator"]',
    });
    expect(error.message).toBe(
      'TailscaleOperator \'app/operator\': `tagOwners["tag:k8s"]` must be a list that includes ["tag:k8s-operator"], got ["group:admins"]; the base policy defines it differently; add ["tag:k8s-operator"] there, or remove the entry and let tailkube write it',
    );
  });

  test('fails when the base approves an exit node for others, naming every source', () => {
    const base = '{"autoApprovers": {"exitNode": ["tag:other"]}}';
    const error = thrown(() =>
      merge(base, [
        {
          kind: 'key',
          parent: ['autoApprovers'],
          key: 'exitNode',
          value: ['tag:k8s'],
          sources: [CONNECTOR, INGRESS],
        },
      ]),
    );
    expect(error.path).toBe("Connector 'app/office', TailscaleIngress 'app/web'");
    expect(error.field).toBe('autoApprovers.exitNode');
    expect(error.message).toContain('; the base policy defines it differently; add ["tag:k8s"] there');
  });

  test.each([
    ['a list where an object belongs', '{"tagOwners": []}', 'basePolicy.tagOwners', [], 'an object'],
    ['an object where a list belongs', '{"grants": {}}', 'basePolicy.grants', {}, 'a list'],
    ['null for a section', '{"autoApprovers": null}', 'basePolicy.autoApprovers', null, 'an object'],
    [
      'a list of routes',
      '{"autoApprovers": {"routes": []}}',
      'basePolicy.autoApprovers.routes',
      [],
      'an object',
    ],
  ])('fails when the base holds %s', (_name, base, field, value, allowed) => {
    const error = thrown(() => merge(base));
    expect({
      path: error.path,
      field: error.field,
      value: error.value,
      allowed: error.allowed,
    }).toStrictEqual({
      path: TAILNET,
      field,
      value,
      allowed,
    });
  });

  test('is deterministic: the order of the entries does not change the text', () => {
    const reversed = [...ENTRIES].reverse();
    expect(merge(BASE, reversed).text).toBe(merge(BASE).text);
    expect(merge(undefined, reversed).text).toBe(merge(undefined).text);
  });
});

describe('properties', () => {
  const tag = fc.stringMatching(/^tag:[a-z][a-z0-9-]{0,8}$/);
  const entries = fc
    .tuple(
      fc.uniqueArray(tag, { maxLength: 5 }),
      fc.uniqueArray(
        fc.record({
          src: fc.array(tag, { minLength: 1, maxLength: 2 }),
          dst: fc.array(tag, { minLength: 1, maxLength: 2 }),
        }),
        {
          maxLength: 4,
          selector: (grant) => canonical(grant),
        },
      ),
    )
    .map(([tags, grants]): GeneratedEntry[] => [
      ...tags.map((key): GeneratedEntry => ({
        kind: 'key',
        parent: ['tagOwners'],
        key,
        value: [],
        sources: [OPERATOR],
      })),
      ...grants.map((value): GeneratedEntry => ({
        kind: 'item',
        parent: ['grants'],
        value,
        sources: [INGRESS],
      })),
    ]);
  const bases = fc.constantFrom(
    undefined,
    '{}',
    '// c\n{\n  "groups": {"group:a": ["x@example.com"]}, // g\n}\n',
    '{\n\t"tagOwners": {\n\t\t"tag:zz": [],\n\t},\n\t"grants": [],\n}\n',
    '{"grants":[{"src":["*"],"dst":["*"],"ip":["*"]}]}',
  );

  test('the merged text parses to the base plus every entry, and merging again changes nothing', () => {
    fc.assert(
      fc.property(bases, entries, (base, generated) => {
        const once = merge(base, generated);
        for (const entry of generated) {
          if (entry.kind === 'key') expect(once.document.tagOwners?.[entry.key]).toStrictEqual([]);
          else expect(once.document.grants?.map(canonical)).toContain(canonical(entry.value));
        }
        const twice = merge(once.text, generated);
        expect(twice.text).toBe(once.text);
        expect(twice.added).toStrictEqual({});
      }),
    );
  });

  test('the order of the entries never changes the text', () => {
    fc.assert(
      fc.property(
        bases,
        entries.chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
        ),
        (base, [list, shuffled]) => {
          expect(merge(base, shuffled).text).toBe(merge(base, list).text);
        },
      ),
    );
  });
});

describe('parseBasePolicy', () => {
  test('fails when the base is not HuJSON, with line and column', () => {
    const error = thrown(() =>
      parseBasePolicy(TAILNET, '{\n  "grants": [\n    {"src": ["a"] "dst": ["b"]},\n  ],\n}'),
    );
    expect({
      path: error.path,
      field: error.field,
      value: error.value,
      allowed: error.allowed,
    }).toStrictEqual({
      path: TAILNET,
      field: 'basePolicy',
      value: 'CommaExpected at line 3, column 19',
      allowed: 'a HuJSON policy document (JSON with comments and trailing commas)',
    });
    expect(error.message).toBe(
      'Tailnet \'app/tailnet\': `basePolicy` must be a HuJSON policy document (JSON with comments and trailing commas), got "CommaExpected at line 3, column 19"',
    );
  });

  test.each([
    ['a list', '[]', 'array'],
    ['a string', '"policy"', 'string'],
    ['a number', '// comment\n42', 'number'],
  ])('fails when the base is %s, not an object', (_name, base, type) => {
    const error = thrown(() => parseBasePolicy(TAILNET, base));
    expect({
      path: error.path,
      field: error.field,
      value: error.value,
      allowed: error.allowed,
    }).toStrictEqual({
      path: TAILNET,
      field: 'basePolicy',
      value: type,
      allowed: 'a HuJSON object such as {"grants": []}',
    });
  });

  test.each([
    ['empty', ''],
    ['only a comment', '// nothing here\n'],
  ])('fails when the base is %s', (_name, base) => {
    const error = thrown(() => parseBasePolicy(TAILNET, base));
    expect(error.field).toBe('basePolicy');
    expect(error.path).toBe(TAILNET);
  });

  test('starts from the header and an explicit empty grants list (deny by default) without a base', () => {
    const base = parseBasePolicy(TAILNET, undefined);
    expect(base.text).toBe(EMPTY_POLICY);
    expect(base.value).toStrictEqual({ grants: [] });
    expect(base.path).toBe(TAILNET);
  });
});

describe('canonical', () => {
  test('is equal for objects that differ only in key order, at any depth', () => {
    expect(canonical({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 3 } })).toBe(
      '{"a":{"c":3,"d":[{"x":2,"y":1}]},"b":1}',
    );
    expect(canonical({ a: 1, b: 2 })).toBe(canonical({ b: 2, a: 1 }));
  });

  test('keeps list order, which carries meaning', () => {
    expect(canonical(['b', 'a'])).not.toBe(canonical(['a', 'b']));
  });
});

/** A generated `tagOwners` entry. */
const owned = (tag: string): GeneratedEntry => ({
  kind: 'key',
  parent: ['tagOwners'],
  key: tag,
  value: [],
  sources: [OPERATOR],
});

describe('keys read as the control plane reads them', () => {
  const grantItem: GeneratedEntry = { kind: 'item', parent: ['grants'], value: GRANT, sources: [INGRESS] };

  test('adds into the base’s "Grants" block instead of writing a second one', () => {
    const base = lines('{', '\t"Grants": [', '\t\t{"src": ["*"], "dst": ["*"], "ip": ["22"]},', '\t],', '}');
    const { text, document } = merge(base, [grantItem]);
    expect(text.match(/"grants"/gi)).toHaveLength(1);
    expect((document as unknown as { Grants: unknown[] }).Grants).toHaveLength(2);
  });

  test.each<[string, string, GeneratedEntry]>([
    [
      '"TagOwners"',
      '"TagOwners": {"tag:k8s": ["tag:k8s-operator"]}',
      { ...owned('tag:k8s'), value: ['tag:k8s-operator'] },
    ],
    [
      '"AutoApprovers"."Routes"',
      '"AutoApprovers": {"Routes": {"10.0.0.0/8": ["tag:k8s"]}}',
      { ...owned('10.0.0.0/8'), parent: ['autoApprovers', 'routes'], value: ['tag:k8s'] },
    ],
  ])('finds a key the base holds under %s, adding nothing', (_name, section, entry) => {
    const base = `{\n\t${section},\n\t"grants": [],\n}\n`;
    expect(merge(base, [entry]).text).toBe(base);
  });

  test('matches tag names exactly: "tag:K8s" is another tag', () => {
    const base = '{"tagOwners": {"tag:K8s": []}, "grants": []}';
    const entry = owned('tag:k8s');
    expect(merge(base, [entry]).added).toStrictEqual({ tagOwners: 1 });
  });

  test('writes tailkube’s own entry beside a base "__proto__" key, which is an entry like any other', () => {
    const base = '{"tagOwners": {"__proto__": ["tag:k8s-operator"]}, "grants": []}';
    const entry = owned('tag:k8s-operator');
    const { document, added } = merge(base, [entry]);
    expect(added).toStrictEqual({ tagOwners: 1 });
    expect(Object.keys(document.tagOwners ?? {})).toEqual(['__proto__', 'tag:k8s-operator']);
  });

  test('writes a generated "__proto__" key as an entry, in the text and the document', () => {
    const { text, document } = merge('{"tagOwners": {}, "grants": []}', [owned('__proto__')]);
    expect(text).toContain('"__proto__": []');
    expect(Object.keys(document.tagOwners ?? {})).toEqual(['__proto__']);
  });

  test.each(['toString', 'constructor', 'hasOwnProperty'])(
    'does not take a base without the tag %s for one that holds it',
    (tag) => {
      const entry = owned(tag);
      expect(merge('{"tagOwners": {}, "grants": []}', [entry]).added).toStrictEqual({ tagOwners: 1 });
    },
  );

  test.each([
    [
      'the same spelling',
      '{\n\t"grants": [],\n\t"tagOwners": {},\n\t"grants": [],\n}',
      'grants',
      '"grants" on line 2 and "grants" on line 4',
    ],
    ['another case', '{\n\t"acls": [],\n\n\t"ACLs": [],\n}', 'ACLs', '"acls" on line 2 and "ACLs" on line 4'],
  ])('fails when the base gives a top-level key twice (%s), naming both lines', (_name, base, key, value) => {
    const error = thrown(() => parseBasePolicy(TAILNET, base));
    expect({ field: error.field, value: error.value, allowed: error.allowed }).toStrictEqual({
      field: `basePolicy.${key}`,
      value,
      allowed: 'each top-level key once (names match case-insensitively)',
    });
    expect(error.message).toContain('merge the two blocks into one');
  });
});

describe('a base that allows all traffic (neither "acls" nor "grants")', () => {
  const grantItem: GeneratedEntry = { kind: 'item', parent: ['grants'], value: GRANT, sources: [INGRESS] };
  const owner = owned('tag:k8s');
  const ADMINS = '{\n\t"groups": {"group:admins": ["a@example.com"]},\n}\n';
  const render = (base: string, entries: readonly GeneratedEntry[], options?: RenderOptions) =>
    renderPolicy(parseBasePolicy(TAILNET, base), entries, options);

  test.each<[string, unknown, boolean]>([
    ['{}', {}, true],
    ['only groups', { groups: { 'group:a': ['a@example.com'] } }, true],
    ['null acls (Go reads it as absent)', { acls: null }, true],
    ['an empty acls list (deny all)', { acls: [] }, false],
    ['an empty grants list', { grants: [] }, false],
    ['"ACLs" in another case', { ACLs: [] }, false],
    ['"Grants" in another case', { Grants: [{ src: ['*'], dst: ['*'], ip: ['*'] }] }, false],
    ['not an object', 'policy', true],
  ])('isAllowAll: %s → %s', (_name, policy, expected) => {
    expect(isAllowAll(policy)).toBe(expected);
  });

  test('fails when tailkube would add the first rule and no choice is made, saying what to do', () => {
    const error = thrown(() => render('{"groups": {}}', [grantItem]));
    expect({ path: error.path, field: error.field }).toStrictEqual({ path: TAILNET, field: 'basePolicy' });
    expect(error.message).toContain('set allowAll to "keep"');
    expect(error.message).toContain('or to "deny"');
  });

  test('needs no choice when tailkube adds no rule', () => {
    const rendered = render('{}', [owner]);
    expect(isAllowAll(rendered.document)).toBe(true);
    expect(rendered.allowsAll).toBe(false);
  });

  test('"keep" writes the allow-all out as an explicit grant, with a comment saying why', () => {
    const rendered = render(ADMINS, [grantItem], { allowAll: 'keep' });
    expect(rendered.text).toBe(
      lines(
        '{',
        '\t"groups": {"group:admins": ["a@example.com"]},',
        '\t"grants": [',
        '\t\t// tailkube: the base policy had neither "acls" nor "grants", so it allowed all traffic; this grant keeps it so (allowAll: "keep")',
        '\t\t{',
        '\t\t\t"src": ["*"],',
        '\t\t\t"dst": ["*"],',
        '\t\t\t"ip": ["*"],',
        '\t\t},',
        `\t\t// tailkube: ${INGRESS}`,
        '\t\t{',
        '\t\t\t"src": ["group:admins"],',
        '\t\t\t"dst": ["tag:k8s"],',
        '\t\t\t"ip": ["443"],',
        '\t\t},',
        '\t],',
        '}',
      ),
    );
    expect(rendered.allowsAll).toBe(true);
    expect(rendered.added).toStrictEqual({ grants: 2 });
    expect(
      canConnect(rendered.document, undefined, { from: 'tag:k8s', to: 'group:admins', port: 22 }).allowed,
    ).toBe(true);
  });

  test('"deny" adds the rules alone: only what they grant stays reachable', () => {
    const rendered = render(ADMINS, [grantItem], { allowAll: 'deny' });
    expect(rendered.allowsAll).toBe(false);
    expect(rendered.document.grants).toStrictEqual([GRANT]);
    expect(
      canConnect(rendered.document, undefined, { from: 'tag:k8s', to: 'group:admins', port: 22 }).allowed,
    ).toBe(false);
  });

  test.each<AllowAllChoice>(['keep', 'deny'])('"%s" changes nothing for a base with rules', (allowAll) => {
    const base = '{"acls": []}';
    const rendered = render(base, [grantItem], { allowAll });
    expect(rendered.text).toBe(merge(base, [grantItem]).text);
    expect(rendered.allowsAll).toBe(false);
  });
});
