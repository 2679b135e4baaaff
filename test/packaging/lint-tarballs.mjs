// Lints packed tarballs as npm would publish them, in one process (TypeScript loads once):
// publint (strict: warnings are errors) and @arethetypeswrong/core (every entry point in node10,
// node16 from CJS and ESM, and bundler resolution). Prints one JSON object: tarball → problems.
// Usage: node test/packaging/lint-tarballs.mjs <tarball>...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const problems = {};
for (const tarball of process.argv.slice(2)) {
  const data = readFileSync(tarball);
  const lint = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
    strict: true,
  });
  const types = await checkPackage(createPackageFromTarballData(new Uint8Array(data)));
  problems[basename(tarball)] = [
    ...lint.messages.map((m) => `publint ${m.type}: ${formatMessage(m, lint.pkg) ?? m.code}`),
    ...(types.types === false ? [] : types.problems).map((p) =>
      `attw ${p.kind}: ${'entrypoint' in p ? p.entrypoint : ''} ${'resolutionKind' in p ? p.resolutionKind : ''}`.trim(),
    ),
  ];
}
console.log(JSON.stringify(problems, null, 2));
