/** Buckets for the chat sidebar: Today, Yesterday, Previous 7 days, Previous 30 days, then one per month. */

export interface DateGroup<T> {
  /** Stable across renders and locales: "today", "yesterday", "previous-7-days", "previous-30-days" or "2026-10". */
  key: string;
  label: string;
  chats: T[];
}

export interface DateGroupOptions {
  /** An IANA zone; the runtime's own zone (the user's, in a browser) when left out. */
  timeZone?: string;
}

const DAY_MS = 86_400_000;

/**
 * Groups chats by the calendar day of their last activity, as seen on a wall clock in the given zone: 00:05 today
 * and 23:55 yesterday are in different groups even though they are ten minutes apart, and a 23-hour DST day
 * still counts as one day. Keeps the chats' order within each group; empty groups are left out.
 */
export function groupChatsByDate<T extends { updatedAt: string }>(
  chats: readonly T[],
  now: Date,
  options: DateGroupOptions = {},
): DateGroup<T>[] {
  const calendar = new CalendarReader(options.timeZone);
  const today = calendar.dayOf(now);
  const groups = new Map<string, DateGroup<T>>();
  for (const chat of chats) {
    const { key, label } = bucketFor(calendar, today, new Date(chat.updatedAt));
    const group = groups.get(key) ?? { key, label, chats: [] };
    group.chats.push(chat);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => bucketRank(a.key) - bucketRank(b.key) || (a.key < b.key ? 1 : -1));
}

const FIXED_BUCKETS = ['today', 'yesterday', 'previous-7-days', 'previous-30-days'] as const;

/** The fixed buckets first in their order, then months newest first (their keys sort as "YYYY-MM"), then undated. */
function bucketRank(key: string): number {
  const fixed = FIXED_BUCKETS.indexOf(key as (typeof FIXED_BUCKETS)[number]);
  if (fixed >= 0) return fixed;
  return key === UNDATED.key ? FIXED_BUCKETS.length + 1 : FIXED_BUCKETS.length;
}

const UNDATED = { key: 'undated', label: 'Older' } as const;

function bucketFor(calendar: CalendarReader, today: CalendarDay, when: Date): { key: string; label: string } {
  if (Number.isNaN(when.getTime())) return UNDATED;
  const day = calendar.dayOf(when);
  const daysAgo = today.index - day.index;
  // A clock slightly ahead of the user's (or a server in the future) still means "just now".
  if (daysAgo <= 0) return { key: 'today', label: 'Today' };
  if (daysAgo === 1) return { key: 'yesterday', label: 'Yesterday' };
  if (daysAgo <= 7) return { key: 'previous-7-days', label: 'Previous 7 days' };
  if (daysAgo <= 30) return { key: 'previous-30-days', label: 'Previous 30 days' };
  return {
    key: `${day.year}-${String(day.month).padStart(2, '0')}`,
    label: `${MONTH_NAMES[day.month - 1]} ${day.year}`,
  };
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

interface CalendarDay {
  year: number;
  month: number;
  day: number;
  /** Days since 1970-01-01 of this calendar date: differences between two are whole days, DST or not. */
  index: number;
}

/** Reads the wall-clock date of an instant in one zone. */
class CalendarReader {
  private readonly format: Intl.DateTimeFormat;

  constructor(timeZone: string | undefined) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
  }

  dayOf(instant: Date): CalendarDay {
    let year = 0;
    let month = 0;
    let day = 0;
    for (const part of this.format.formatToParts(instant)) {
      if (part.type === 'year') year = Number(part.value);
      else if (part.type === 'month') month = Number(part.value);
      else if (part.type === 'day') day = Number(part.value);
    }
    return { year, month, day, index: Date.UTC(year, month - 1, day) / DAY_MS };
  }
}
