/** One `mlpkit` subcommand: a summary for the list, its usage text, and its body (returns the exit code). */
export interface Command {
  summary: string;
  usage: string;
  /** Usage that depends on the other arguments (e.g. a task's own options); falls back to `usage`. */
  usageFor?: (args: string[]) => string | undefined;
  run(args: string[]): Promise<number> | number;
}
