/**
 * Views and downloads of each asset per UTC day, as they pass through the mock. PhotoShelter itself
 * exposes only `views` on a media item; the per-day read-out is for tests and the usage roll-up.
 */
export interface UsageRow {
  mediaId: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
  views: number;
  downloads: number;
}

export interface UsageFilter {
  mediaId?: string;
  from?: string;
  to?: string;
}

export class UsageLog {
  private rows = new Map<string, UsageRow>();
  private viewTotals = new Map<string, number>();

  record(mediaId: string, kind: "view" | "download", at: Date = new Date()): void {
    const day = at.toISOString().slice(0, 10);
    const key = `${mediaId}|${day}`;
    const row = this.rows.get(key) ?? { mediaId, day, views: 0, downloads: 0 };
    if (kind === "view") {
      row.views++;
      this.viewTotals.set(mediaId, (this.viewTotals.get(mediaId) ?? 0) + 1);
    } else row.downloads++;
    this.rows.set(key, row);
  }

  /** Views counted by the mock for one asset (added to its seeded `views`). */
  views(mediaId: string): number {
    return this.viewTotals.get(mediaId) ?? 0;
  }

  list(filter: UsageFilter = {}): UsageRow[] {
    return [...this.rows.values()]
      .filter((r) => (!filter.mediaId || r.mediaId === filter.mediaId) && (!filter.from || r.day >= filter.from) && (!filter.to || r.day <= filter.to))
      .map((r) => ({ ...r }))
      .sort((a, b) => a.day.localeCompare(b.day) || a.mediaId.localeCompare(b.mediaId));
  }

  clear(): void {
    this.rows.clear();
    this.viewTotals.clear();
  }
}
