/** Formats a date for the user; the host's formatter (user's settings in Dynamics) when there is one. */
export type FormatDate = (date: Date) => string;

/**
 * A calendar date ("YYYY-MM-DD", or the date part of a timestamp) as a local Date at midnight, so the
 * user's formatter shows the same day in every time zone. Null for anything else.
 */
export function calendarDate(value: string | Date | null | undefined): Date | null {
  if (value instanceof Date) return isNaN(value.getTime()) ? null : new Date(value.getFullYear(), value.getMonth(), value.getDate());
  const match = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

/** "YYYY-MM-DD" of a date as the user sees it (local calendar day). */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
