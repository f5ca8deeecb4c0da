/** The `mlpkit` command line: subcommands by name, help and dispatch. Each subcommand lives in its own module. */
import { VERSION } from '../version.js';
import { infoCommand, modelsCommand } from './models.js';
import { runCommand } from './run.js';
import { evalCommand, trainCommand } from './train.js';

import type { Command } from './command.js';

export type { Command };

/** Subcommands by name. */
export const COMMANDS: Record<string, Command> = {
  train: trainCommand,
  eval: evalCommand,
  models: modelsCommand,
  info: infoCommand,
  run: runCommand,
};

function help(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(8, ...names.map((n) => n.length));
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`);
  return [
    `mlpkit ${VERSION} — tensors, autograd and the MLP family in TypeScript`,
    '',
    'Usage: mlpkit <command> [options]',
    '',
    ...(lines.length ? ['Commands:', ...lines, ''] : []),
    'Options:',
    '  --version   print the version',
    '  --help      print this help (or `mlpkit <command> --help`)',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(help());
    return 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    console.log(VERSION);
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    console.error(`mlpkit: unknown command '${cmd}'. Run \`mlpkit --help\` for the list.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usageFor?.(rest) ?? command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    console.error(`mlpkit ${cmd}: ${(e as Error).message}`);
    return 1;
  }
}
