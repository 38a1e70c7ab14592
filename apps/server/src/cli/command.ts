/**
 * One command of `heed` as data: the words that select it, the flags it reads, its line of
 * help, and what it runs. The table in `commands.ts` is the CLI: dispatch, flag parsing and
 * `--help` all read it, so adding a command is adding an entry to its group's file.
 */
import type { Config } from '../config.js';
import type { Services } from '../services.js';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

/** Parsed flags: a `string` flag holds the text given, a `boolean` one `true` when present. */
export type Flags = { readonly [flag: string]: string | boolean | undefined };

export interface CommandContext {
  readonly flags: Flags;
  /** The words after the command's own, e.g. `usage` in `heed stats usage`. */
  readonly args: readonly string[];
  readonly config: Config;
  /** The services on the configured store, built on first use; the store is closed after the command. */
  services(): Services;
}

export interface CliCommand {
  /** The words that select it, e.g. `keys create`. */
  readonly name: string;
  /** Its arguments and flags, as the help shows them. */
  readonly usage?: string;
  /** What it does, in a few words. */
  readonly summary?: string;
  /** The flags it reads. Flags are parsed for the whole table: one of another command is accepted and ignored. */
  readonly flags?: Readonly<Record<string, FlagSpec>>;
  /** Runs the command; resolves to its exit code. */
  run(context: CommandContext): Promise<number>;
}

/** @example text(flags, 'project') // 'p_123', or undefined when the flag was not given */
export function text(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** @example on(flags, 'json') // true when --json was given */
export function on(flags: Flags, name: string): boolean {
  return flags[name] === true;
}

/** Flags as `parseArgs` wants them. */
export const STRING: FlagSpec = { type: 'string' };
export const BOOLEAN: FlagSpec = { type: 'boolean' };
