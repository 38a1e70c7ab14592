/**
 * The statistics API as the dashboard reads it: the fields it draws (see /openapi.json), JSON
 * with the analyst key, and the same route as CSV saved as a download, so what a person
 * downloads is what the API answers, byte for byte.
 */

export interface Usage {
  readonly k: number;
  readonly from: string;
  readonly to: string;
  readonly tz: string;
  readonly buckets: readonly { readonly start: string; readonly activeUsers: number | null; readonly suppressed: boolean }[];
  readonly totals: { readonly activeUsers: number | null; readonly sessions: number; readonly activeMs: number; readonly events: number; readonly suppressedBuckets: number };
}
export interface HeatmapCell {
  readonly day: string;
  readonly hour: number;
  readonly mean: number | null;
  readonly suppressed: boolean;
}
export interface Heatmap {
  readonly k: number;
  readonly from: string;
  readonly to: string;
  readonly weeks: number;
  readonly cells: readonly HeatmapCell[];
}
export interface UpdateWindows {
  readonly windows: readonly {
    readonly rank: number; readonly day: string; readonly start: string; readonly end: string; readonly next: string;
    readonly users: number | null; readonly sessions: number | null; readonly share: number | null; readonly weeksObserved: number; readonly reason: string; readonly suppressed: boolean;
  }[];
  readonly cadence: { readonly summary: string };
}
export interface Sessions {
  readonly sessions: number;
  readonly users: number;
  readonly relativeAccuracy: number;
  readonly medianMs: number | null;
  readonly p75Ms: number | null;
  readonly p90Ms: number | null;
  readonly histogram: readonly { readonly fromMs: number; readonly sessions: number | null; readonly suppressed: boolean }[];
}
export interface Features {
  readonly relativeAccuracy: number;
  readonly features: readonly { readonly name: string; readonly events: number; readonly users: number; readonly timed: number; readonly p50Ms: number | null; readonly p90Ms: number | null }[];
  readonly suppressedFeatures: number;
}
export interface FeatureTrends {
  readonly grain: 'day' | 'week';
  readonly features: readonly string[];
  readonly buckets: readonly { readonly start: string; readonly cells: readonly { readonly name: string; readonly events: number | null; readonly suppressed: boolean }[] }[];
}

/** The query string of a route: the parameters given, in order, empty ones left out. */
export function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '');
  return parts.map(([name, value]) => name + '=' + encodeURIComponent(String(value))).join('&');
}

async function request(path: string, key: string): Promise<Response> {
  const response = await fetch(path, { headers: { authorization: 'Bearer ' + key } });
  if (!response.ok) {
    const body = (await response.json()) as { detail?: string; title?: string };
    throw new Error(body.detail || body.title || response.statusText);
  }
  return response;
}

export async function api<T>(path: string, key: string): Promise<T> {
  return (await (await request(path, key)).json()) as T;
}

/** Saves the route's `?format=csv` answer as `heed-<name>.csv`. */
export async function downloadCsv(path: string, key: string, name: string): Promise<void> {
  const blob = await (await request(path + (path.includes('?') ? '&' : '?') + 'format=csv', key)).blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'heed-' + name + '.csv';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
