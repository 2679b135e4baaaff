import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// The direction of dependencies (DESIGN.md "Packages" and "Layout"), enforced on the import graph
// of every package's sources rather than by review: no circle anywhere, no import from a lower
// floor of core to a higher one, no user-facing document importing a package's `internal` entry.

const ROOT = resolve(__dirname, '..');
const PACKAGES = readdirSync(join(ROOT, 'packages'));

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The module specifiers a file imports or re-exports, type-only ones included. */
function specifiers(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((imported) => imported.fileName);
}

/** The relative imports of every file under `src`, resolved to files. */
function importGraph(src: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(src)) {
    const targets = specifiers(file)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => {
        const base = resolve(dirname(file), specifier);
        return [`${base}.ts`, join(base, 'index.ts')].find(
          (candidate) => graph.has(candidate) || exists(candidate),
        )!;
      });
    graph.set(file, targets);
  }
  return graph;
}

function exists(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

/** One cycle in `graph` per strongly connected group of files, as paths relative to the root. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        found.push(stack.slice(stack.indexOf(next)).map((f) => relative(ROOT, f)));
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return found;
}

/** Core's floors, lowest first: a file imports only from its own floor or lower ones. */
const CORE_FLOORS: readonly (readonly string[])[] = [
  ['versions.ts'],
  ['props/'],
  ['validate/', 'access.ts'],
  ['render/'],
  ['tailnet/'],
  ['program/'],
  ['index.ts', 'internal.ts'],
];

function floorOf(path: string): number {
  const floor = CORE_FLOORS.findIndex((members) => members.some((member) => path.startsWith(member)));
  if (floor < 0) throw new Error(`${path} is on no floor of core: add it to CORE_FLOORS`);
  return floor;
}

describe('the cycle finder', () => {
  // Guards the check itself, so that the tests below cannot pass by seeing nothing.
  test('finds a circle of three files and none in a chain', () => {
    const circle = new Map([
      ['/a', ['/b']],
      ['/b', ['/c']],
      ['/c', ['/a']],
    ]);
    expect(cycles(circle)).toHaveLength(1);
    const chain = new Map([
      ['/a', ['/b']],
      ['/b', ['/c']],
      ['/c', []],
    ]);
    expect(cycles(chain)).toStrictEqual([]);
  });
});

test.each(PACKAGES)('no import circle inside packages/%s/src', (name) => {
  const graph = importGraph(join(ROOT, 'packages', name, 'src'));
  expect(graph.size).toBeGreaterThan(3);
  expect(cycles(graph)).toStrictEqual([]);
});

test('inside core, props → validate/access → render → tailnet → program, never back up', () => {
  const src = join(ROOT, 'packages/core/src');
  const upward: string[] = [];
  for (const [file, targets] of importGraph(src)) {
    const from = relative(src, file);
    for (const target of targets) {
      const to = relative(src, target);
      if (floorOf(to) > floorOf(from)) upward.push(`${from} → ${to}`);
    }
  }
  expect(upward).toStrictEqual([]);
});

test('the policy engine imports no tailkube package and no framework', () => {
  const offending = sources(join(ROOT, 'packages/policy/src')).flatMap((file) =>
    specifiers(file)
      .filter((specifier) => /^(@tailkube\/|cdk8s|constructs|@pulumi\/)/.test(specifier))
      .map((specifier) => `${relative(ROOT, file)}: ${specifier}`),
  );
  expect(offending).toStrictEqual([]);
});

test('the flavors never import each other', () => {
  const offending = ['cdk8s', 'pulumi'].flatMap((flavor) => {
    const other =
      flavor === 'cdk8s' ? /^(@tailkube\/pulumi|@pulumi\/)/ : /^(@tailkube\/cdk8s|cdk8s|constructs)/;
    return sources(join(ROOT, 'packages', flavor, 'src')).flatMap((file) =>
      specifiers(file)
        .filter((specifier) => other.test(specifier))
        .map((specifier) => `${relative(ROOT, file)}: ${specifier}`),
    );
  });
  expect(offending).toStrictEqual([]);
});

/** Markdown files a user reads: the READMEs and docs/, the generated API reference aside. */
function userDocuments(): string[] {
  const docs = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'api' ? [] : docs(path);
      return entry.name.endsWith('.md') ? [path] : [];
    });
  return [
    join(ROOT, 'README.md'),
    ...PACKAGES.map((name) => join(ROOT, 'packages', name, 'README.md')),
    ...docs(join(ROOT, 'docs')),
  ].filter(exists);
}

test('no user-facing document imports an internal entry point', () => {
  const offending = userDocuments().flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/from ['"](@tailkube\/[a-z-]+\/internal)['"]/g)].map(
      (match) => `${relative(ROOT, file)}: ${match[1]}`,
    ),
  );
  expect(offending).toStrictEqual([]);
});

test("core's root entry stays a curated user API of at most 80 names", () => {
  const text = readFileSync(join(ROOT, 'packages/core/src/index.ts'), 'utf8');
  const names = [...text.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
    match[1]!
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
  expect(text).not.toMatch(/export \*/);
  expect(names.length).toBeGreaterThan(20);
  expect(names.length).toBeLessThanOrEqual(80);
});
