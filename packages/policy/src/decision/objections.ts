/**
 * Objection (GDPR Art. 21) rules, written once for the consent route, the rights routes and
 * the stores: an objection applies to legitimate-interest purposes only (for consent-based
 * ones the right is withdrawal), and once made it stays until the subject lifts it. A consent
 * decision may add objections (a privacy signal, a banner's switch) but never clears one.
 */
import type { Purpose } from '../document/schema.js';

/**
 * The ids among `ids` that cannot be objected to: unknown, or not on legitimate interest.
 *
 * @example misdirectedObjections(DEFAULT_POLICY.purposes, ['statistics', 'update_timing']) // ['statistics']
 */
export function misdirectedObjections(purposes: readonly Pick<Purpose, 'id' | 'basis'>[], ids: readonly string[]): string[] {
  return ids.filter((id) => purposes.find((purpose) => purpose.id === id)?.basis !== 'legitimate_interest');
}

/**
 * The objections in force after a change: `on` adds `ids`, otherwise lifts them. Order is
 * kept (held first), duplicates dropped.
 *
 * @example changeObjections(['a'], ['b'], true) // ['a', 'b']
 * @example changeObjections(['a', 'b'], ['a'], false) // ['b']
 */
export function changeObjections(held: readonly string[], ids: readonly string[], on: boolean): string[] {
  return on ? [...new Set([...held, ...ids])] : held.filter((id) => !ids.includes(id));
}
