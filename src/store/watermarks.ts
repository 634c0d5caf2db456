// Tenant: how far each scheme's polling has read completely. It only moves forward: a late run, or a backfill of
// an old range, can never move it back, and deleting and re-creating the schedule resumes from it.
import type { SqlQueryable } from './sql';

export function pollWatermarks(db: SqlQueryable) {
  return {
    async get(schemeId: string): Promise<Date | undefined> {
      const [row] = await db.query<{ watermark: Date }>('select watermark from poll_watermarks where scheme_id = $1', [schemeId]);
      return row ? new Date(row.watermark) : undefined;
    },

    /** Moves the watermark to `to` if that is later; returns the watermark now stored. */
    async advance(schemeId: string, to: Date, updatedBy: string): Promise<Date> {
      const [row] = await db.query<{ watermark: Date }>(
        `insert into poll_watermarks (scheme_id, watermark, updated_by) values ($1, $2, $3)
         on conflict (scheme_id) do update set watermark = greatest(poll_watermarks.watermark, excluded.watermark),
           updated_at = case when excluded.watermark > poll_watermarks.watermark then now() else poll_watermarks.updated_at end,
           updated_by = case when excluded.watermark > poll_watermarks.watermark then excluded.updated_by else poll_watermarks.updated_by end
         returning watermark`,
        [schemeId, to, updatedBy],
      );
      return new Date(row!.watermark);
    },
  };
}

export type PollWatermarks = ReturnType<typeof pollWatermarks>;
