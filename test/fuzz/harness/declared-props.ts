import * as path from 'node:path';
import ts from 'typescript';

/**
 * What the flavors declare, read from their TypeScript sources with the compiler API: the classes
 * each flavor exports, and every property path of a construct's props (cdk8s `<Name>Props`,
 * Pulumi `<Name>Args`), nested interfaces included (`statefulSet.pod.tolerations[].key`).
 *
 * A path stops at a leaf: a primitive, a map (`Record<string, …>`), a pass-through Kubernetes
 * fragment, or a reference to another construct (an `I…` interface or a class such as a cdk8s
 * `ApiObject`), which the generators make whole.
 */

const ROOT = path.resolve(__dirname, '../../..');
const FLAVORS = {
  cdk8s: { index: 'packages/cdk8s/src/index.ts', suffix: 'Props' },
  pulumi: { index: 'packages/pulumi/src/index.ts', suffix: 'Args' },
} as const;
/** The flavors. */
export type Flavor = keyof typeof FLAVORS;
const VIRTUAL = path.join(ROOT, 'test/fuzz/__declared-props__.ts');

let program: ts.Program | undefined;

function load(names: readonly string[]): ts.Program {
  const lines = [
    `import type * as cdk8s from '@tailkube/cdk8s';`,
    `import type * as pulumi from '@tailkube/pulumi';`,
    ...names.flatMap((name) =>
      (Object.keys(FLAVORS) as Flavor[]).map(
        // A reference without type arguments takes the defaults (ProxyGroupProps<ProxyGroupType>).
        (flavor) => `export type ${flavor}_${name} = ${flavor}.${name}${FLAVORS[flavor].suffix};`,
      ),
    ),
  ];
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    baseUrl: ROOT,
    paths: {
      '@tailkube/*/internal': ['packages/*/src/internal.ts'],
      '@tailkube/*': ['packages/*/src/index.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language) =>
    path.resolve(file) === VIRTUAL
      ? ts.createSourceFile(file, lines.join('\n'), language)
      : getSourceFile(file, language);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => path.resolve(file) === VIRTUAL || fileExists(file);
  return ts.createProgram(
    [VIRTUAL, ...Object.values(FLAVORS).map((f) => path.join(ROOT, f.index))],
    options,
    host,
  );
}

/**
 * The construct classes a flavor's entry point exports, by name: classes whose instances are cdk8s
 * constructs (they have a `node`) or Pulumi resources (they have a `urn`).
 */
export function exportedClasses(flavor: Flavor, names: readonly string[]): string[] {
  program ??= load(names);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(path.join(ROOT, FLAVORS[flavor].index))!;
  return checker
    .getExportsOfModule(checker.getSymbolAtLocation(source)!)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      if ((target.flags & ts.SymbolFlags.Class) === 0) return false;
      const instance = checker.getDeclaredTypeOfSymbol(target);
      return instance.getProperty(flavor === 'cdk8s' ? 'node' : 'urn') !== undefined;
    })
    .map((symbol) => symbol.name)
    .sort();
}

function isLeafObject(type: ts.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  if (!symbol) return false;
  if (/^I[A-Z]/.test(symbol.name) || symbol.name === 'KubernetesJson') return true;
  if (symbol.flags & ts.SymbolFlags.Class) return true;
  // Types from dependencies (cdk8s, Pulumi, Kubernetes) are whole values to the generators.
  return (symbol.declarations ?? []).every((d) => d.getSourceFile().fileName.includes('node_modules'));
}

function collect(checker: ts.TypeChecker, type: ts.Type, at: string, out: Set<string>, depth: number): void {
  if (depth > 8) return;
  const types = type.isUnion() ? type.types : [type];
  for (const member of types) {
    if (checker.isArrayType(member) || checker.isTupleType(member)) {
      const [element] = checker.getTypeArguments(member as ts.TypeReference);
      if (element) collect(checker, checker.getNonNullableType(element), `${at}[]`, out, depth + 1);
      continue;
    }
    if (!(member.flags & ts.TypeFlags.Object) || isLeafObject(member)) continue;
    if (member.getCallSignatures().length > 0) continue;
    for (const property of checker.getPropertiesOfType(member)) {
      const child = at === '' ? property.name : `${at}.${property.name}`;
      out.add(child);
      collect(checker, checker.getNonNullableType(checker.getTypeOfSymbol(property)), child, out, depth + 1);
    }
  }
}

/** Every property path of construct `name`'s props in `flavor`, sorted. */
export function declaredPaths(flavor: Flavor, name: string, names: readonly string[]): string[] {
  program ??= load(names);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(VIRTUAL)!;
  const alias = checker
    .getExportsOfModule(checker.getSymbolAtLocation(source)!)
    .find((symbol) => symbol.name === `${flavor}_${name}`);
  if (!alias) throw new Error(`no ${flavor}_${name} in the virtual file`);
  const type = checker.getDeclaredTypeOfSymbol(alias);
  const out = new Set<string>();
  collect(checker, type, '', out, 0);
  return [...out].sort();
}
