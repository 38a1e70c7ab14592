/**
 * The cadence view: how many days pass between a user's consecutive active days. It tells
 * how often an update can ship before most users have seen the previous one.
 */
import type { ReturnGap } from '../store/stats-store.js';
import { reportable } from './k-anonymity.js';

export const CADENCE_BINS = [
  { label: '1 day', from: 1, to: 1 },
  { label: '2 days', from: 2, to: 2 },
  { label: '3 days', from: 3, to: 3 },
  { label: '4-7 days', from: 4, to: 7 },
  { label: '8-14 days', from: 8, to: 14 },
  { label: '15+ days', from: 15, to: Number.POSITIVE_INFINITY },
] as const;

export interface CadenceBin {
  readonly label: string;
  readonly intervals: number | null;
  /** Share of the visible intervals. */
  readonly share: number | null;
  readonly suppressed: boolean;
}

export interface Cadence {
  readonly bins: CadenceBin[];
  /** Days within which half, and three quarters, of the visible returns happen. */
  readonly medianDays: number | null;
  readonly p75Days: number | null;
  readonly summary: string;
}

/**
 * A bin is shown when one of its gap lengths alone has k distinct subjects: the store counts
 * distinct subjects per gap length, and the largest of those is a lower bound of the bin's.
 *
 * @example computeCadence([{ gapDays: 1, intervals: 40, subjects: 9 }], 5).bins[0] // { label: '1 day', intervals: 40, share: 1, ... }
 */
export function computeCadence(gaps: readonly ReturnGap[], k: number): Cadence {
  const bins = CADENCE_BINS.map((bin) => {
    const inside = gaps.filter((gap) => gap.gapDays >= bin.from && gap.gapDays <= bin.to);
    const intervals = inside.reduce((sum, gap) => sum + gap.intervals, 0);
    const visible = reportable(Math.max(0, ...inside.map((gap) => gap.subjects)), k);
    return { label: bin.label, intervals: visible ? intervals : null, suppressed: !visible, inside };
  });
  const visibleGaps = bins.filter((bin) => !bin.suppressed).flatMap((bin) => bin.inside).sort((a, b) => a.gapDays - b.gapDays);
  const total = visibleGaps.reduce((sum, gap) => sum + gap.intervals, 0);
  const quantile = (p: number) => {
    let seen = 0;
    for (const gap of visibleGaps) {
      seen += gap.intervals;
      if (seen >= Math.ceil(p * total)) return gap.gapDays;
    }
    return null;
  };
  const medianDays = total > 0 ? quantile(0.5) : null;
  const p75Days = total > 0 ? quantile(0.75) : null;
  return {
    bins: bins.map(({ label, intervals, suppressed }) => ({
      label,
      intervals,
      share: intervals === null || total === 0 ? null : Math.round((intervals / total) * 10_000) / 10_000,
      suppressed,
    })),
    medianDays,
    p75Days,
    summary: cadenceSentence(medianDays, p75Days),
  };
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/**
 * The advice in one sentence. Three quarters of returns within p75 days means an update that
 * waits at least p75 days after the previous one is seen by most returning users first.
 *
 * @example cadenceSentence(1, 2) // 'Half of returns come within 1 day and three quarters within 2 days: ship no more than once every 2 days, so most returning users see each update before the next one.'
 */
export function cadenceSentence(medianDays: number | null, p75Days: number | null): string {
  if (medianDays === null || p75Days === null) return 'Not enough returning users yet to say how often they come back.';
  const often = p75Days === 1 ? 'once a day' : `once every ${days(p75Days)}`;
  return `Half of returns come within ${days(medianDays)} and three quarters within ${days(p75Days)}: ` +
    `ship no more than ${often}, so most returning users see each update before the next one.`;
}
