/**
 * Business hours: "always", or "<days> HH:MM-HH:MM <Area/City>" such as "1-5 09:00-18:00 Asia/Shanghai"
 * (days 0 or 7 = Sunday, 1 = Monday; days and zone optional: every day, UTC). Outside them,
 * escalations become tickets.
 */
import { KefuError } from '../../core/errors';

export type BusinessHours = (at: number) => boolean;

const SPEC = /^(?:([0-7])-([0-7]) )?(\d{2}):(\d{2})-(\d{2}):(\d{2})(?: ([A-Za-z_]+\/[A-Za-z_]+))?$/;
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export function parseBusinessHours(spec: string): BusinessHours {
  const text = spec.trim();
  if (text === 'always') return () => true;
  const m = SPEC.exec(text);
  if (!m) throw new KefuError('KEFU_ERR_CONFIG_INVALID', `BUSINESS_HOURS must be "always" or like "1-5 09:00-18:00 Asia/Shanghai" (got "${spec}").`);
  const [, d1, d2, h1, m1, h2, m2, zone] = m;
  const fromDay = d1 === undefined ? 0 : Number(d1) % 7;
  const toDay = d2 === undefined ? 6 : Number(d2) % 7;
  const open = Number(h1) * 60 + Number(m1);
  const close = Number(h2) * 60 + Number(m2);
  if (Number(h1) > 24 || Number(h2) > 24 || Number(m1) > 59 || Number(m2) > 59) {
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', `BUSINESS_HOURS has an impossible time (got "${spec}").`);
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone ?? 'UTC', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  } catch (err) {
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', `BUSINESS_HOURS names an unknown time zone "${zone}"; use an IANA name like Asia/Shanghai.`, { cause: err });
  }
  const dayIn = (day: number) => (fromDay <= toDay ? day >= fromDay && day <= toDay : day >= fromDay || day <= toDay);
  return (at) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
    const day = WEEKDAYS[parts.weekday ?? ''] ?? -1;
    const minute = Number(parts.hour) * 60 + Number(parts.minute);
    // A window like 22:00-06:00 spans midnight: it belongs to the day it opened.
    if (open <= close) return dayIn(day) && minute >= open && minute < close;
    return (dayIn(day) && minute >= open) || (dayIn((day + 6) % 7) && minute < close);
  };
}
