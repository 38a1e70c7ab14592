/**
 * `heed stats usage|sessions|features|heatmap` and `heed windows`: the statistics API's
 * domain functions on the local store, printed as tables (default), JSON or CSV. Flags map
 * onto the API's query parameters, and go through the same schemas.
 */
import { describeIssues } from '@heed/policy';
import type { z } from 'zod';
import { ConfigError } from '../config.js';
import type { Services } from '../services.js';
import { heatmapQuery, rangeOnlyQuery, usageQuery, windowsQuery } from '../stats/stats-query.js';
import { featureStats, heatmapStats, sessionStats, updateWindows, usageStats, type StatsContext } from '../stats/stats-service.js';
import { BOOLEAN, STRING, on, text, type CliCommand, type Flags } from './command.js';
import { csv, heatmapText, table, type Row } from './stats-format.js';

const QUERY_FLAGS = ['from', 'to', 'tz', 'grain', 'weeks', 'duration', 'days', 'hours', 'notice', 'limit'] as const;

function parse<T extends z.ZodType>(schema: T, flags: Flags): z.infer<T> {
  const raw = Object.fromEntries(QUERY_FLAGS.filter((flag) => typeof flags[flag] === 'string').map((flag) => [flag, flags[flag]]));
  const result = schema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssues(result.error).map((issue) => `--${issue.field}: ${issue.message}`).join('\n'));
  return result.data;
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 600) / 100);

/** Runs one statistics command, writing to `out`; returns the exit code. */
export async function runStatsCommand(services: Services, command: string, sub: string | undefined, flags: Flags, out: (chunk: string) => void = (chunk) => process.stdout.write(chunk)): Promise<number> {
  const projectId = text(flags, 'project');
  if (!projectId) throw new ConfigError(`${command} needs --project ID`);
  const format = on(flags, 'json') ? 'json' : (text(flags, 'format') ?? 'table');
  if (!['table', 'json', 'csv'].includes(format)) throw new ConfigError('--format must be table, json or csv');
  const ctx: StatsContext = { stats: services.store.stats, policy: (await services.policies.forProject(projectId)).document, projectId, now: services.clock.now() };
  const k = services.policy.kAnonymity;
  const emit = (result: unknown, rows: Row[], head: string, extra = '') => {
    if (format === 'json') out(`${JSON.stringify(result, null, 2)}\n`);
    else if (format === 'csv') out(`${csv(rows)}\n`);
    else out(`${head}\n\n${table(rows, k)}\n${extra ? `\n${extra}\n` : ''}`);
  };

  switch (command === 'windows' ? 'windows' : `stats ${sub ?? ''}`) {
    case 'stats usage': {
      const result = await usageStats(ctx, parse(usageQuery(ctx.now), flags));
      const rows = result.buckets.map((b) => ({ start: b.start, users: b.activeUsers, sessions: b.sessions, active_min: minutes(b.activeMs), events: b.events }));
      const t = result.totals;
      emit(result, rows, `Usage per ${result.grain}, ${result.from} to ${result.to} (${result.tz}; cells under ${k} people hidden)`,
        `Totals over shown ${result.grain}s: ${t.activeUsers ?? `<${k}`} distinct users, ${t.sessions} sessions, ${minutes(t.activeMs)} active minutes, ${t.events} events; ${t.suppressedBuckets} hidden.`);
      return 0;
    }
    case 'stats sessions': {
      const result = await sessionStats(ctx, parse(rangeOnlyQuery(ctx.now), flags));
      const rows = result.histogram.map((b) => ({ from_s: b.fromMs / 1000, to_s: b.toMs === null ? 'more' : b.toMs / 1000, sessions: b.sessions }));
      emit(result, rows, `Session durations, ${result.from} to ${result.to}: ${result.sessions} sessions, median ${minutes(result.medianMs)} min, p75 ${minutes(result.p75Ms)} min, p90 ${minutes(result.p90Ms)} min`);
      return 0;
    }
    case 'stats features': {
      const result = await featureStats(ctx, parse(rangeOnlyQuery(ctx.now), flags));
      const rows = result.features.map((f) => ({ feature: f.name, events: f.events, users: f.users, timed: f.timed, mean_ms: f.meanMs, p50_ms: f.p50Ms, p90_ms: f.p90Ms }));
      emit(result, rows, `Features, ${result.from} to ${result.to}`, `${result.suppressedFeatures} feature(s) used by fewer than ${k} people are not listed.`);
      return 0;
    }
    case 'stats heatmap': {
      const result = await heatmapStats(ctx, parse(heatmapQuery, flags));
      if (format === 'table') {
        out(`Mean active users per local hour of the week, ${result.from} to ${result.to} (${result.tz}, update-timing data)\n\n${heatmapText(result.cells)}\n`);
      } else {
        emit(result, result.cells.map((c) => ({ day: c.day, hour: c.hour, mean: c.mean, instances: c.instances })), '');
      }
      return 0;
    }
    case 'windows': {
      const result = await updateWindows(ctx, parse(windowsQuery, flags));
      const rows = result.windows.map((w) => ({ rank: w.rank, window: `${w.day} ${w.start}-${w.end}`, next: w.next, users: w.users, sessions: w.sessions, share_pct: w.share === null ? null : Math.round(w.share * 10_000) / 100, weeks: w.weeksObserved }));
      emit(result, rows, `Quietest ${result.durationHours} h windows over ${result.weeks} weeks (${result.tz}), ${result.candidates} candidates`,
        [...result.windows.map((w) => `${w.rank}. ${w.reason}`), '', `Cadence: ${result.cadence.summary}`].join('\n'));
      return 0;
    }
    default:
      throw new ConfigError('use: heed stats usage|sessions|features|heatmap, or heed windows');
  }
}

/** The flags of both commands: the subject of the query, its parameters, the output format. */
const OUTPUT_FLAGS = { project: STRING, format: STRING, json: BOOLEAN };
const QUERY_FLAG_SPECS = Object.fromEntries(QUERY_FLAGS.map((flag) => [flag, STRING]));

export const STATS_COMMANDS: readonly CliCommand[] = [
  {
    name: 'stats',
    usage: 'usage|sessions|features|heatmap --project ID [--from D] [--to D] [--tz ZONE] [--grain hour|day|week] [--weeks N]',
    flags: { ...OUTPUT_FLAGS, ...QUERY_FLAG_SPECS },
    run: ({ services, args, flags }) => runStatsCommand(services(), 'stats', args[0], flags),
  },
  {
    name: 'windows',
    usage: '--project ID [--duration 2h] [--weeks 8] [--days mon-fri] [--hours 0-6] [--notice 24h] [--limit 5]',
    summary: 'statistics and update windows; --format table|json|csv',
    flags: { ...OUTPUT_FLAGS, ...QUERY_FLAG_SPECS },
    run: ({ services, args, flags }) => runStatsCommand(services(), 'windows', args[0], flags),
  },
];
