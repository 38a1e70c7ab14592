/** The command table drives dispatch, flags and help: a command is found by its words and given its flags. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../config.js';
import { BUILT_CLI } from '../testing/server-process.js';
import { BOOLEAN, STRING, on, text, type CliCommand, type CommandContext } from './command.js';
import { COMMANDS } from './commands.js';
import { helpText } from './help.js';
import { runCli, tableFlags } from './run-cli.js';

describe('the command table', () => {
  it('names each command once and gives every flag one meaning', () => {
    const names = COMMANDS.map((command) => command.name);
    expect(new Set(names).size).toBe(names.length);
    expect(() => tableFlags(COMMANDS)).not.toThrow();
  });

  it('lists every command in the help, in table order', () => {
    const lines = helpText(COMMANDS).split('\n').filter((line) => /^ {2}\S/.test(line));
    // The longest name a line starts with ("requests extend" before "requests").
    const named = (line: string) => COMMANDS.filter((command) => new RegExp(`^  ${command.name}( |$)`).test(line)).sort((a, b) => b.name.length - a.name.length)[0]?.name;
    expect(lines.map(named)).toEqual(COMMANDS.map((command) => command.name));
  });

  it('names every variable of the configuration, and docs/operations.md explains each in its table', () => {
    const help = helpText(COMMANDS);
    expect(CONFIG_VARIABLES.filter((name) => !new RegExp(`\\b${name}\\b`).test(help))).toEqual([]);
    const operations = readFileSync(new URL('../../../../docs/operations.md', import.meta.url), 'utf8');
    const explained = new Set(operations.split('\n').filter((line) => line.startsWith('| `HEED_')).flatMap((line) => line.split('|')[1]!.match(/HEED_[A-Z_]+/g) ?? []));
    expect(CONFIG_VARIABLES.filter((name) => !explained.has(name))).toEqual([]);
  });

  it('runs the command its words name, with the words after them and its flags', async () => {
    const seen: Pick<CommandContext, 'args' | 'flags'>[] = [];
    const record = (name: string, flags: CliCommand['flags']): CliCommand => ({
      name,
      flags,
      run: async ({ args, flags: given }) => {
        seen.push({ args, flags: given });
        return name === 'greet' ? 0 : 3;
      },
    });
    const table = [record('greet', { loud: BOOLEAN }), record('greet twice', { name: STRING })];
    expect(await runCli(['greet', 'world', '--loud'], table)).toBe(0);
    expect(await runCli(['greet', 'twice', '--name', 'Ann'], table)).toBe(3);
    expect(seen.map(({ args, flags }) => [args, on(flags, 'loud'), text(flags, 'name')])).toEqual([
      [['world'], true, undefined],
      [[], false, 'Ann'],
    ]);
    expect(await runCli(['wave'], table)).toBe(2);
    expect(() => tableFlags([...table, record('shout', { loud: STRING })])).toThrow('--loud of shout');
  });
});

describe('a command run as a process', () => {
  it("answers on stdout alone: `--json` is one JSON document, the store's log lines go to stderr", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'heed-cli-out-'));
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [BUILT_CLI, 'retention', 'run', '--json'], { env: { ...process.env, HEED_DATA_DIR: dataDir, HEED_LOG_LEVEL: 'info' } });
      expect(Object.keys(JSON.parse(stdout) as object)).toEqual(['ranAt', 'deleted', 'cutoffs']);
      expect(stderr).toContain('"level":"info","message":"retention run"');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
