#!/usr/bin/env node
/** Entry point of the `mlpkit` binary. */
import { main } from './commands.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
