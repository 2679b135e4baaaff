// The user's path in the docs is what the packaging test runs: every TypeScript block of these
// pages is a file of programs/ (type-checked against the tarballs in the consumer projects), and
// every jest.config.js shown is one of templates/ (the configuration those projects run).
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const PAGES = [
  'README.md',
  'docs/getting-started.md',
  'docs/testing-setup.md',
  'docs/guides/migrate-from-helm.md',
];

/** The contents of the fenced blocks of `language` in a Markdown text. */
function blocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm'))].map(
    (m) => m[1]!,
  );
}

function filesIn(dir: string, name?: string): Map<string, string> {
  const entries = fs.readdirSync(path.join(__dirname, dir), { recursive: true, encoding: 'utf8' });
  return new Map(
    entries
      .filter((f) => (name ? path.basename(f) === name : f.endsWith('.ts')))
      .map((f) => [fs.readFileSync(path.join(__dirname, dir, f), 'utf8'), `${dir}/${f}`]),
  );
}

const PROGRAMS = filesIn('programs');
const JEST_CONFIGS = filesIn('templates', 'jest.config.js');

describe.each(PAGES)('%s', (page) => {
  const text = fs.readFileSync(path.join(ROOT, page), 'utf8');

  test('shows only programs the packaging test type-checks', () => {
    const ts = blocks(text, 'ts');
    expect(ts.length).toBeGreaterThan(0);
    expect(ts.filter((block) => !PROGRAMS.has(block))).toStrictEqual([]);
  });

  test('shows only jest configurations the packaging test runs', () => {
    expect(blocks(text, 'js').filter((block) => !JEST_CONFIGS.has(block))).toStrictEqual([]);
  });
});
