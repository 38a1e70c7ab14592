import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL migrations: `pnpm --filter @heed/server db:generate:postgres`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/postgres/schema.ts',
  out: './drizzle/postgres',
});
