#!/usr/bin/env node
import { main } from './cli';

// Exit by setting the status rather than calling process.exit, so piped output is flushed.
void main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
