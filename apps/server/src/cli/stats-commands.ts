/**
 * `heed stats usage|sessions|features|trends|heatmap` and `heed windows`: the statistics API's
 * domain functions on the local store, printed as tables (default), JSON or CSV. Flags map
 * onto the API's query parameters, and go through the same schemas. `heed stats warm` is
 * `stats-warm.ts`.
 */
import { describeIssues } from '@heed/policy';
import type { z } from 'zod';
import { ConfigError } from '../config.js';
import type { Services } from '../services.js';
import { featureStats, featureTrends, heatmapStats, sessionStats, updateWindows, usageStats, type StatsContext } from '../stats/stats-service.js';
import { csv, featureRows, heatmapRows, sessionRows, trendRows, usageRows, windowRows, type Row } from '../stats/stats-rows.js';
import { heatmapQuery, rangeOnlyQuery, trendsQuery, usageQuery, windowsQuery } from '../stats/stats-query.js';
import { BOOLEAN, STRING, on, text, type CliCommand, type Flags } from './command.js';
import { heatmapText, table } from './stats-format.js';
import { warmStatistics } from './stats-warm.js';

const QUERY_FLAGS = ['from', 'to', 'tz', 'grain', 'weeks', 'duration', 'days', 'hours', 'notice', 'limit'] as const;

function parse<T extends z.ZodType>(schema: T, flags: Flags): z.infer<T> {
  const raw = Object.fromEntries(QUERY_FLAGS.filter((flag) => typeof flags[flag] === 'string').map((flag) => [flag, flags[flag]]));
  const result = schema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssues(result.error).map((issue) => `--${issue.field}: ${issue.message}`).join('\n'));
  return result.data;
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 600) / 100);

/** The session summary line: a median nothing was measured for reads differently from a hidden one. */
function sessionSummary(result: Awaited<ReturnType<typeof sessionStats>>, k: number): string {
  if (result.histogram.every((bin) => bin.sessions === 0)) return 'no sessions (not measured)';
  if (result.sessions === 0) return `every duration bin hidden (fewer than ${k} people each)`;
  return `${result.sessions} sessions by ${result.users} people, median ${minutes(result.medianMs)} min, p75 ${minutes(result.p75Ms)} min, p90 ${minutes(result.p90Ms)} min (within ${result.relativeAccuracy * 100}%)`;
}

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
    else if (format === 'csv') out(csv(rows));
    else out(`${head}\n\n${table(rows, k)}\n${extra ? `\n${extra}\n` : ''}`);
  };

  switch (command === 'windows' ? 'windows' : `stats ${sub ?? ''}`) {
    case 'stats usage': {
      const result = await usageStats(ctx, parse(usageQuery(ctx.now), flags));
      const rows = usageRows(result);
      const t = result.totals;
      emit(result, rows, `Usage per ${result.grain}, ${result.from} to ${result.to} (${result.tz}; cells under ${k} people hidden)`,
        `Totals over shown ${result.grain}s: ${t.activeUsers ?? `<${k}`} distinct users, ${t.sessions} sessions, ${minutes(t.activeMs)} active minutes, ${t.events} events; ${t.suppressedBuckets} hidden.`);
      return 0;
    }
    case 'stats sessions': {
      const result = await sessionStats(ctx, parse(rangeOnlyQuery(ctx.now), flags));
      emit(result, sessionRows(result), `Session durations, ${result.from} to ${result.to}: ${sessionSummary(result, k)}`);
      return 0;
    }
    case 'stats features': {
      const result = await featureStats(ctx, parse(rangeOnlyQuery(ctx.now), flags));
      emit(result, featureRows(result), `Features, ${result.from} to ${result.to} (percentiles within ${result.relativeAccuracy * 100}%)`,
        `${result.suppressedFeatures} feature(s) used by fewer than ${k} people are not listed. <${k}: hidden (fewer than ${k} people); -: not measured (never timed).`);
      return 0;
    }
    case 'stats trends': {
      const result = await featureTrends(ctx, parse(trendsQuery(ctx.now), flags));
      emit(result, trendRows(result), `Feature use per ${result.grain}, ${result.from} to ${result.to} (${result.tz})`,
        `${result.suppressedFeatures} feature(s) used by fewer than ${k} people are not listed.`);
      return 0;
    }
    case 'stats heatmap': {
      const result = await heatmapStats(ctx, parse(heatmapQuery, flags));
      if (format === 'table') {
        out(`Mean active users per local hour of the week, ${result.from} to ${result.to} (${result.tz}, update-timing data)\n\n${heatmapText(result.cells)}\n`);
      } else {
        emit(result, heatmapRows(result), '');
      }
      return 0;
    }
    case 'windows': {
      const result = await updateWindows(ctx, parse(windowsQuery, flags));
      emit(result, windowRows(result), `Quietest ${result.durationHours} h windows over ${result.weeks} weeks (${result.tz}), ${result.candidates} candidates`,
        [...result.windows.map((w) => `${w.rank}. ${w.reason}`), '', `Cadence: ${result.cadence.summary}`].join('\n'));
      return 0;
    }
    default:
      throw new ConfigError('use: heed stats usage|sessions|features|trends|heatmap|warm, or heed windows');
  }
}

/** The flags of both commands: the subject of the query, its parameters, the output format. */
const OUTPUT_FLAGS = { project: STRING, format: STRING, json: BOOLEAN };
const QUERY_FLAG_SPECS = Object.fromEntries(QUERY_FLAGS.map((flag) => [flag, STRING]));

export const STATS_COMMANDS: readonly CliCommand[] = [
  {
    name: 'stats',
    usage: 'usage|sessions|features|trends|heatmap --project ID [--from D] [--to D] [--tz ZONE] [--grain hour|day|week] [--weeks N] [--format table|json|csv]',
    flags: { ...OUTPUT_FLAGS, ...QUERY_FLAG_SPECS },
    run: ({ services, args, flags }) => runStatsCommand(services(), 'stats', args[0], flags),
  },
  {
    name: 'stats warm',
    usage: '[--project ID]',
    summary: 'fill the statistics caches and write their snapshot (after an upgrade that changed their layout)',
    flags: { project: STRING },
    run: ({ services, flags }) => warmStatistics(services(), text(flags, 'project'), (chunk) => process.stdout.write(chunk)),
  },
  {
    name: 'windows',
    usage: '--project ID [--duration 2h] [--weeks 8] [--days mon-fri] [--hours 0-6] [--notice 24h] [--limit 5]',
    summary: 'statistics and update windows; --format table|json|csv',
    flags: { ...OUTPUT_FLAGS, ...QUERY_FLAG_SPECS },
    run: ({ services, args, flags }) => runStatsCommand(services(), 'windows', args[0], flags),
  },
];
