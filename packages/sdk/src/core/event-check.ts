/**
 * Checks a tracked event against the policy's limits before it is queued, so one bad event
 * is reported at once instead of getting a whole batch refused (422) later. A compact
 * subset of the server's rules (`checkProps` in `@heed/policy`): name length and characters,
 * props as a plain object within the byte, key and depth limits. The server still checks
 * everything; what slips through here (a long string deep inside) costs its batch.
 */
import type { IngestLimits, WireEvent } from '@heed/policy';
import { utf8Length } from './utf8-length.js';

const CONTROL = /[\p{Cc}\p{Cf}]/u;

function depth(value: unknown): number {
  return value && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depth)) : 0;
}

/**
 * The problem with a track event, or undefined when it is within the limits.
 *
 * @example trackProblem({ type: 'track', name: '', ... }, DEFAULT_POLICY.limits) // 'name must have 1 to 100 characters'
 */
export function trackProblem(event: WireEvent, limits: IngestLimits): string | undefined {
  if (event.type !== 'track') return undefined;
  const { name, props } = event;
  if (typeof name !== 'string' || !name.length || name.length > limits.maxNameLength || CONTROL.test(name)) {
    return `name must have 1 to ${limits.maxNameLength} characters, no control characters`;
  }
  if (props === undefined) return undefined;
  if (Object.getPrototypeOf(props) !== Object.prototype || Object.keys(props).length > limits.maxPropsKeys) {
    return `props must be a plain object with at most ${limits.maxPropsKeys} keys`;
  }
  if (depth(props) > limits.maxPropsDepth || utf8Length(JSON.stringify(props)) > limits.maxPropsBytes) {
    return `props may nest ${limits.maxPropsDepth} deep and take ${limits.maxPropsBytes} bytes`;
  }
  return undefined;
}
