import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** `@tailkube/core` is framework-free (DESIGN.md "Packages"): no framework, no tailkube package but the policy engine. */
const CORE = join(__dirname, '..');
const FORBIDDEN =
  /^(cdk8s(\/.*)?|cdk8s-plus(-\d+)?(\/.*)?|constructs(\/.*)?|@pulumi\/.+|@tailkube\/(?!policy(\/internal)?$).+)$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.[cm]?[jt]s$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a file names: `import`/`export … from`, `import()`, `require()`. */
function specifiers(text: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] as string));
}

describe('the specifier scan', () => {
  // Guards the scan itself, so the checks below cannot pass by seeing nothing.
  test.each([
    ["import { App } from 'cdk8s';", ['cdk8s']],
    ["import type { Construct } from 'constructs';", ['constructs']],
    ["export * from '@pulumi/pulumi';", ['@pulumi/pulumi']],
    ["import '@tailkube/cdk8s';", ['@tailkube/cdk8s']],
    ["const k = await import('@pulumi/kubernetes');", ['@pulumi/kubernetes']],
    ["const c = require('cdk8s');", ['cdk8s']],
    ['import {\n  a,\n  b,\n} from "./x";', ['./x']],
  ])('finds the specifiers of %j', (text, expected) => {
    expect(specifiers(text)).toStrictEqual(expected);
  });

  test.each(['cdk8s', 'cdk8s/lib/x', 'constructs', '@pulumi/pulumi', '@tailkube/testing'])(
    'forbids %j',
    (name) => {
      expect(FORBIDDEN.test(name)).toBe(true);
    },
  );

  test.each(['ipaddr.js', '@tailkube/policy', '@tailkube/policy/internal', './props/common', 'node:fs'])(
    'allows %j',
    (name) => {
      expect(FORBIDDEN.test(name)).toBe(false);
    },
  );
});

test('no file under packages/core/src imports a framework or a tailkube package other than the policy engine', () => {
  const files = sources(join(CORE, 'src'));
  expect(files.length).toBeGreaterThan(10);
  const offending = files.flatMap((file) =>
    specifiers(readFileSync(file, 'utf8'))
      .filter((specifier) => FORBIDDEN.test(specifier))
      .map((specifier) => `${relative(CORE, file)}: ${specifier}`),
  );
  expect(offending).toStrictEqual([]);
});

test('packages/core/package.json depends on no framework and no tailkube package other than the policy engine', () => {
  const manifest = JSON.parse(readFileSync(join(CORE, 'package.json'), 'utf8')) as Record<string, unknown>;
  expect(manifest['name']).toBe('@tailkube/core');
  const fields = [
    'dependencies',
    'peerDependencies',
    'optionalDependencies',
    'devDependencies',
    'bundleDependencies',
    'bundledDependencies',
  ];
  const names = fields.flatMap((field) => {
    const value = manifest[field];
    if (Array.isArray(value)) return value as string[];
    return value && typeof value === 'object' ? Object.keys(value) : [];
  });
  expect(names.filter((name) => FORBIDDEN.test(name))).toStrictEqual([]);
});
