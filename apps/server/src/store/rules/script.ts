/**
 * How a store rule is written once for both drivers. better-sqlite3 runs a transaction as one
 * synchronous function (it cannot await inside it), postgres.js awaits every statement; a
 * rule written as an async function could not run inside SQLite's transaction, and one
 * written twice drifts (the issue "The house" found the erase sequence and the flag merge
 * written per driver). So a rule is a generator: it yields the port operations it needs and
 * receives their results. `runSync` feeds it from a synchronous port inside SQLite's
 * transaction; `runAsync` awaits each operation of an asynchronous port inside PostgreSQL's.
 *
 * @example
 * const db = operations<SubjectPort>();
 * function* touch(key: SubjectKey): Script<SubjectPort, boolean> { return (yield* db.lockSubject(key)) !== undefined; }
 */

type Method = (...args: never[]) => unknown;

/** One operation a rule asks of the port: its name and arguments. */
export type Operation<P> = { [K in keyof P]: P[K] extends Method ? { readonly name: K; readonly args: Parameters<P[K]> } : never }[keyof P];

/** A rule: yields operations, receives each one's result, returns `T`. */
export type Script<P, T> = Generator<Operation<P>, T, unknown>;

/** The port's operations as the rules call them: `const row = yield* db.lockSubject(key)`. */
export type Operations<P> = { [K in keyof P]: P[K] extends Method ? (...args: Parameters<P[K]>) => Script<P, ReturnType<P[K]>> : never };

/** The same port, implemented by a driver whose statements are awaited. */
export type AsyncPort<P> = { [K in keyof P]: P[K] extends Method ? (...args: Parameters<P[K]>) => Promise<ReturnType<P[K]>> : never };

/** Builds the operations of port `P`; the one place a yielded result is given its type. */
export function operations<P>(): Operations<P> {
  return new Proxy({} as Operations<P>, {
    get: (_, name) =>
      function* operation(...args: unknown[]): Generator<unknown, unknown, unknown> {
        return yield { name, args };
      },
  });
}

/**
 * Runs a rule against a synchronous port (inside a better-sqlite3 transaction).
 *
 * @example connection.writeTransaction(() => runSync(eraseSubject(key, entry, seal), port))
 */
export function runSync<P, T>(script: Script<P, T>, port: P): T {
  let step = script.next();
  while (!step.done) {
    const { name, args } = step.value as { name: keyof P; args: unknown[] };
    step = script.next((port[name] as unknown as (...args: unknown[]) => unknown)(...args));
  }
  return step.value;
}

/**
 * Runs a rule against an asynchronous port (inside a postgres.js transaction).
 *
 * @example connection.writeTransaction((tx) => runAsync(eraseSubject(key, entry, seal), port(tx)))
 */
export async function runAsync<P, T>(script: Script<P, T>, port: AsyncPort<P>): Promise<T> {
  let step = script.next();
  while (!step.done) {
    const { name, args } = step.value as { name: keyof P; args: unknown[] };
    step = script.next(await (port[name] as unknown as (...args: unknown[]) => Promise<unknown>)(...args));
  }
  return step.value;
}
