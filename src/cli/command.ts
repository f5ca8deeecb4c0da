/** One `mlpkit` subcommand: a summary for the list, its usage text, and its body (returns the exit code). */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number> | number;
}
