/**
 * Checks a tracked event against the policy's limits before it is queued, with the same
 * rules the server applies (`checkProps` is shared), so one bad event is reported at once
 * instead of getting a whole batch refused later.
 */
import { checkProps, type IngestLimits, type WireEvent } from '@heed/policy';

const CONTROL = /[\p{Cc}\p{Cf}]/u;

/**
 * The problem with a track event, or undefined when the server will accept it.
 *
 * @example trackProblem({ type: 'track', name: '', ... }, DEFAULT_POLICY.limits) // 'name must have 1 to 100 characters'
 */
export function trackProblem(event: WireEvent, limits: IngestLimits): string | undefined {
  if (event.type !== 'track') return undefined;
  const { name, props } = event;
  if (typeof name !== 'string' || !name.length || name.length > limits.maxNameLength) {
    return `name must have 1 to ${limits.maxNameLength} characters`;
  }
  if (CONTROL.test(name)) return 'name must not contain control or format characters';
  const problem = props === undefined ? undefined : checkProps(props, limits);
  return problem && `props${problem.path.map((part) => '.' + part).join('')}: ${problem.message}`;
}
