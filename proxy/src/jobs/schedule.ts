/**
 * When a scheduled job runs: a cron expression (croner; 5 fields, or 6 with seconds; UTC) or a
 * fixed interval written `every 30s`, `every 15m`, `every 2h`, `every 1d` (also `ms`). Ticks are
 * computed from the tick that ran, not from when it finished, so instances agree on them.
 */
import { Cron } from "croner";

export interface Schedule {
  /** The text it was read from (stored with the job; a change resets the next tick). */
  text: string;
  /** The first tick strictly after `after`. */
  next(after: number): number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const EVERY = /^every\s+(\d+)\s*(ms|s|m|h|d)$/i;

export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim();
  const every = EVERY.exec(trimmed);
  if (every) {
    const ms = Number(every[1]) * UNIT_MS[every[2].toLowerCase()];
    if (!Number.isSafeInteger(ms) || ms < 10) throw new Error(`schedule "${text}": an interval must be at least 10 ms`);
    return { text: trimmed, next: (after) => (Math.floor(after / ms) + 1) * ms };
  }
  let cron: Cron;
  try {
    cron = new Cron(trimmed, { timezone: "UTC", paused: true });
  } catch (error) {
    throw new Error(`schedule "${text}" is neither "every <n><ms|s|m|h|d>" nor a cron expression: ${(error as Error).message}`);
  }
  return {
    text: trimmed,
    next(after) {
      const next = cron.nextRun(new Date(after));
      if (!next) throw new Error(`schedule "${text}" has no tick after ${new Date(after).toISOString()}`);
      return next.getTime();
    },
  };
}
