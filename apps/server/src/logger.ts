/**
 * A small structured logger: one JSON line per record to a sink (stdout by default, an array
 * in tests). Callers pass fields explicitly; nothing logs bodies, keys, tokens or addresses,
 * and tests read the captured lines to prove it.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * @example const logger = createLogger({ level: 'info', sink: (line) => lines.push(line) });
 */
export function createLogger(options: { level: LogLevel; sink?: (line: string) => void; now?: () => number }): Logger {
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const log = (level: LogLevel) => (message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < ORDER[options.level]) return;
    sink(JSON.stringify({ time: new Date(now()).toISOString(), level, message, ...fields }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
