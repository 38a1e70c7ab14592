/**
 * Checks a tracked event against the policy's limits before it is queued, so one bad event
 * is reported at once instead of getting a whole batch refused (422) later. A compact
 * subset of the server's rules (`checkProps` in `@heed/policy`, which is too large for the
 * browser budget): the name's length and characters, and the props' size as JSON. The
 * server still checks everything (depth, keys, string lengths).
 */
import type { IngestLimits } from '@heed/policy';
import { utf8Length } from './utf8-length.js';

/**
 * The problem with a track event's name and props, or undefined when they are within the limits.
 *
 * @example trackProblem('', undefined, DEFAULT_POLICY.limits) // 'name: 1 to 100 characters, no control characters'
 */
export function trackProblem(name: string, props: object | undefined, limits: IngestLimits): string | undefined {
  if (!/^[^\p{Cc}\p{Cf}]+$/u.test(name) || name.length > limits.maxNameLength) {
    return `name: 1 to ${limits.maxNameLength} characters, no control characters`;
  }
  if (props && (props.constructor !== Object || utf8Length(JSON.stringify(props)) > limits.maxPropsBytes)) {
    return `props: a plain object of at most ${limits.maxPropsBytes} bytes as JSON`;
  }
  return undefined;
}
