import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` uses this; the app applies the committed migrations itself at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/server/db/schema/index.ts',
  out: './src/server/db/migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/nas_panel' },
});
