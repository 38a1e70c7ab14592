/**
 * `heed policy init|check|set|record` as an operator starting a new controller runs them: the
 * template carries nothing of the built-in policy's company and is refused until its
 * placeholders are filled; a widening next version is refused, naming the field; a filled
 * document becomes a project's policy, and the record of processing shows it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { runCli } from './run-cli.js';

let dir: string;
let out: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'heed-policy-cli-'));
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...line: unknown[]) => void out.push(line.join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...words: string[]) => runCli([...words, '--data-dir', dir]);

it('starts a new controller\'s policy, checks it, sets it on a project and shows it as the record', async () => {
  const file = join(dir, 'policy.json');
  expect(await cli('policy', 'init', '--out', file)).toBe(0);
  const text = readFileSync(file, 'utf8');
  expect(text).not.toMatch(/CloudPiling|Vlissegem|0746\.725\.497/);
  out = [];
  expect(await cli('policy', 'check', file)).toBe(1);
  expect(out).toEqual(['controller.name: still the template\'s placeholder', 'controller.address: still the template\'s placeholder',
    'controller.registration: still the template\'s placeholder', 'controller.supervisoryAuthority: still the template\'s placeholder',
    'recipients.0: still the template\'s placeholder']);
  const policy = JSON.parse(text) as Record<string, unknown> & { controller: Record<string, string>; version: string; retention: Record<string, string> };
  const filled = {
    ...policy,
    controller: { name: 'Other Platform NV', address: 'Kerkstraat 1, 9000 Gent', registration: '0123.456.789', contact: 'privacy@other.example', supervisoryAuthority: 'Gegevensbeschermingsautoriteit, Drukpersstraat 35, 1000 Brussel' },
    recipients: ['our hosting provider (processor)'],
  };
  writeFileSync(file, JSON.stringify(filled));
  out = [];
  expect(await cli('policy', 'check', file)).toBe(0);
  expect(out).toEqual([`${file}: a valid policy, version ${policy.version}`]);

  const next = join(dir, 'next.json');
  writeFileSync(next, JSON.stringify({ ...filled, version: '2099-01-01', substantial: false, history: [{ version: policy.version, substantial: true }], retention: { ...policy.retention, rawEvents: 'P90D' } }));
  out = [];
  expect(await cli('policy', 'check', next, '--previous', file)).toBe(1);
  expect(out).toEqual(['retention.rawEvents: rawEvents is kept longer: P30D -> P90D (a widening change: mark the version substantial)']);

  out = [];
  expect(await cli('project', 'create', '--name', 'Other', '--json')).toBe(0);
  const { projectId } = JSON.parse(out[0]!) as { projectId: string };
  out = [];
  expect(await cli('policy', 'set', '--project', projectId, file)).toBe(0);
  expect(out[0]).toMatch(new RegExp(`^project ${projectId}: policy ${policy.version} in force \\([0-9a-f]{64}\\)$`));
  out = [];
  expect(await cli('policy', 'record', '--project', projectId)).toBe(0);
  expect(out.join('\n')).toContain('Other Platform NV');
});
