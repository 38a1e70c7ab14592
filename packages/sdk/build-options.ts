/**
 * esbuild options shared by the published builds (`tsup.config.ts`) and the size test
 * (`src/size.test.ts`), so the test weighs what ships.
 *
 * Property names that start with one underscore are internal to the bundle (the methods the
 * core's parts call on each other: `consent._ready()`, `queue._save()`, ...) and are renamed
 * to short names in every build. Never give the prefix to anything public, persisted or sent
 * (options, platform ports, the consent record, wire events): those names must survive the
 * build. `__proto__` and other double-underscore names are left alone.
 */
export const MANGLE_PROPS = /^_[^_]/;
