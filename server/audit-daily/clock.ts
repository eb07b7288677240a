/** Days in a time zone: "what day and time is it there", and where a day starts, for AUDIT_VERIFY_AT. */

export interface DailyTime {
  hour: number;
  minute: number;
  zone: string;
}

/** "03:00", "03:00 UTC" or "03:00 Asia/Shanghai" → its parts (UTC when no zone is named). */
export function parseDailyTime(spec: string): DailyTime {
  const [time = '', zone = 'UTC'] = spec.trim().split(/\s+/);
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return { hour, minute, zone };
}

/** The local date (YYYY-MM-DD) and minutes since midnight at `instant` in `zone`. */
export function localClock(instant: number, zone: string): { date: string; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The day before `date`. */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** When `date` starts in `zone` (epoch ms). */
export function startOfDay(date: string, zone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const { date: seen, minutes } = localClock(guess, zone);
  // The zone's clock at the UTC midnight tells its offset; step back by it.
  const offsetMinutes = seen === date ? minutes : seen < date ? minutes - 1440 : minutes + 1440;
  return guess - offsetMinutes * 60_000;
}
