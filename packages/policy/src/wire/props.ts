/**
 * Event properties: small, flat-ish JSON that must not smuggle anything. Checked by hand
 * rather than by a recursive zod schema so that depth, key count and byte size are bounded
 * in one pass and the failing path is exact.
 */
import type { IngestLimits } from '../document/schema.js';

export type PropValue = string | number | boolean | null | PropValue[] | { [key: string]: PropValue };
export type Props = { [key: string]: PropValue };

/** Keys that reach prototypes in careless consumers; refused outright. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_KEY_LENGTH = 64;
const MAX_ARRAY_ITEMS = 20;

export interface PropsProblem {
  /** Path below `props`, e.g. `['plan', 'tier']`. */
  readonly path: (string | number)[];
  readonly message: string;
}

type PropsLimits = Pick<IngestLimits, 'maxPropsKeys' | 'maxPropsDepth' | 'maxPropsBytes' | 'maxStringLength'>;

const encoder = new TextEncoder();

/**
 * Returns the first problem with `value` as event props, or `undefined` when it is fine.
 *
 * @example checkProps({ format: 'pdf' }, DEFAULT_POLICY.limits) // undefined
 */
export function checkProps(value: unknown, limits: PropsLimits): PropsProblem | undefined {
  const problem = checkValue(value, [], 0, limits, true);
  if (problem) return problem;
  const bytes = encoder.encode(JSON.stringify(value)).length;
  if (bytes > limits.maxPropsBytes) {
    return { path: [], message: `props take ${bytes} bytes as JSON; at most ${limits.maxPropsBytes} allowed` };
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkValue(
  value: unknown,
  path: (string | number)[],
  depth: number,
  limits: PropsLimits,
  root: boolean,
): PropsProblem | undefined {
  if (root && !isPlainObject(value)) return { path, message: 'props must be an object' };
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { path, message: 'numbers must be finite' };
  }
  if (typeof value === 'string') {
    return value.length <= limits.maxStringLength
      ? undefined
      : { path, message: `strings may have at most ${limits.maxStringLength} characters` };
  }
  if (depth >= limits.maxPropsDepth) {
    return { path, message: `props may nest at most ${limits.maxPropsDepth} level(s) deep` };
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY_ITEMS) return { path, message: `arrays may have at most ${MAX_ARRAY_ITEMS} items` };
    for (let index = 0; index < value.length; index++) {
      const problem = checkValue(value[index], [...path, index], depth + 1, limits, false);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return { path, message: 'values must be JSON: string, number, boolean, null, array or object' };
  const keys = Object.keys(value);
  if (keys.length > limits.maxPropsKeys) {
    return { path, message: `at most ${limits.maxPropsKeys} keys allowed, got ${keys.length}` };
  }
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) return { path: [...path, key], message: `key "${key}" is not allowed` };
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      return { path: [...path, key], message: `keys must have 1 to ${MAX_KEY_LENGTH} characters` };
    }
    const problem = checkValue(value[key], [...path, key], depth + 1, limits, false);
    if (problem) return problem;
  }
  return undefined;
}
