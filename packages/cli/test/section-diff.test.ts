import { diffSections } from '../src/section-diff';

describe('diffSections', () => {
  test('gives one entry per changed section, in the editor order, comments included', () => {
    const live = '{\n  "grants": [],\n  // Owners.\n  "tagOwners": {\n    "tag:a": [],\n  },\n}\n';
    const program =
      '{\n  "grants": [],\n  // Owners.\n  "tagOwners": {\n    // Why.\n    "tag:a": [],\n  },\n}\n';

    expect(diffSections(live, program)).toStrictEqual([
      {
        section: 'tagOwners',
        lines: ['@@ -1,3 +1,4 @@', '   "tagOwners": {', '+    // Why.', '     "tag:a": [],', '   }'],
      },
    ]);
  });

  test('shows a section only one side has as all added or all removed', () => {
    expect(diffSections('{}\n', '{\n  "hosts": {"db": "100.64.0.1"},\n}\n')).toStrictEqual([
      { section: 'hosts', lines: ['@@ -0,0 +1,1 @@', '+  "hosts": {"db": "100.64.0.1"}'] },
    ]);
  });

  test('puts keys it does not know after the known sections, sorted', () => {
    const diffs = diffSections('{}', '{"zeta": 1, "alpha": 2, "grants": []}');

    expect(diffs.map((d) => d.section)).toStrictEqual(['grants', 'alpha', 'zeta']);
  });

  test('reports a change outside every section, and nothing for CRLF against LF', () => {
    expect(diffSections('{\r\n  "grants": [],\r\n}\r\n', '{\n  "grants": [],\n}\n')).toStrictEqual([]);
    expect(
      diffSections('// Old header.\n{"grants": []}\n', '// New header.\n{"grants": []}\n'),
    ).toStrictEqual([
      {
        section: '(outside sections)',
        lines: ['@@ -1,2 +1,2 @@', '-// Old header.', '+// New header.', ' {"grants": []}'],
      },
    ]);
  });
});
