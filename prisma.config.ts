// Prisma CLI configuration. The server itself never reads this: it builds its own client
// (src/db/client.ts) and applies migrations with src/db/migrate.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/customers' },
});
