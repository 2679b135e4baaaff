#!/bin/sh
# Builds the packages the bench imports (through the root's workspace links to their dist/),
# compiles the bench and runs it. Writes bench-results.json at the repository root.
set -e
cd "$(dirname "$0")/../.."
node_modules/.bin/tsc -b packages/policy packages/core packages/cdk8s packages/pulumi packages/testing
node_modules/.bin/tsc -p test/bench/tsconfig.json
exec node --expose-gc dist/bench/bench.js "$@"
