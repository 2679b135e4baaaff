import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// A code block the docs introduce as "from examples/…" quotes that example verbatim, so the docs
// cannot drift from code that is compiled, synthesized and tested. Lines of `// …` (or `...`) mark
// what the quote leaves out; every run between them is in the example as written.

const ROOT = resolve(__dirname, '..');

function markdown(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return ['api', 'node_modules', 'dist'].includes(entry.name) ? [] : markdown(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** A fenced TypeScript block that the paragraph before it says is taken from an example. */
interface Quote {
  readonly doc: string;
  readonly line: number;
  readonly example: string;
  readonly code: string;
}

/** The example files a link such as `examples/foo/main.ts` or `examples/foo` names. */
function exampleFiles(doc: string, target: string): string[] {
  // Package READMEs link with absolute URLs (the tarball has no examples/); they name this repo.
  const inRepo = /^https:\/\/github\.com\/tailkube\/tailkube\/(?:blob|tree)\/main\/(.+)$/.exec(target);
  const path = inRepo ? join(ROOT, inRepo[1]!) : resolve(dirname(doc), target);
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(path, name));
}

function quotes(doc: string): Quote[] {
  const lines = readFileSync(doc, 'utf8').split('\n');
  const found: Quote[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    // The introducing paragraph: the lines just above the block, up to a blank line.
    let start = i - 1;
    while (start > 0 && lines[start - 1]!.trim() !== '') start--;
    const intro = lines.slice(start, i).join(' ');
    const link = /[Ff]rom \[[^\]]*\]\(([^)]*examples\/[^)]+)\)/.exec(intro);
    if (link) {
      found.push({ doc, line: i + 1, example: link[1]!, code: lines.slice(i + 1, end).join('\n') });
    }
    i = end;
  }
  return found;
}

const ELISION = /^\s*(\/\/\s*)?(\.\.\.|…)\s*$/;

/** The runs of a quote between elisions, without blank lines at their ends. */
function runs(code: string): string[] {
  const chunks: string[][] = [[]];
  for (const line of code.split('\n')) {
    if (ELISION.test(line)) chunks.push([]);
    else chunks[chunks.length - 1]!.push(line);
  }
  return chunks.map((chunk) => chunk.join('\n').trim()).filter((chunk) => chunk.length > 0);
}

const ALL = [join(ROOT, 'README.md'), ...markdown(join(ROOT, 'docs')), ...markdown(join(ROOT, 'packages'))]
  .filter(existsSync)
  .flatMap(quotes);

test('the docs quote examples (the scan finds the quotes)', () => {
  expect(ALL.length).toBeGreaterThanOrEqual(10);
});

test.each(ALL.map((quote) => [`${relative(ROOT, quote.doc)}:${quote.line}`, quote] as const))(
  '%s quotes its example verbatim',
  (_name, quote) => {
    const files = exampleFiles(quote.doc, quote.example);
    expect(files.length).toBeGreaterThan(0);
    const sources = files.map((file) => readFileSync(file, 'utf8'));
    const missing = runs(quote.code).filter((run) => !sources.some((source) => source.includes(run)));
    expect(missing).toStrictEqual([]);
  },
);
