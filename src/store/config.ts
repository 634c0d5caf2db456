// Where the state store is: ERP_BRIDGE_DATABASE_URL (a PostgreSQL server, required for more than one process),
// else the embedded PGlite store in ERP_BRIDGE_DATA_DIR (default `.data/store`), one process only.
import path from 'node:path';
import { z } from 'zod';

export interface StoreConfig {
  databaseUrl?: string;
  dataDir: string;
}

const StoreEnvSchema = z.object({
  ERP_BRIDGE_DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'ERP_BRIDGE_DATABASE_URL must be a PostgreSQL URL such as postgres://erp:secret@db:5432/erp_bridge',
    }),
  ERP_BRIDGE_DATA_DIR: z.string().trim().min(1).optional(),
});

export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const parsed = StoreEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.message}`).join('\n')}`);
  return {
    databaseUrl: parsed.data.ERP_BRIDGE_DATABASE_URL,
    dataDir: path.resolve(parsed.data.ERP_BRIDGE_DATA_DIR ?? path.join('.data', 'store')),
  };
}
