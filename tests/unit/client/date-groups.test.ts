import { afterEach, describe, expect, it } from 'vitest';
import { groupChatsByDate } from '@/lib/client/date-groups';

interface Chat {
  id: string;
  updatedAt: string;
}

const NEW_YORK = { timeZone: 'America/New_York' };

function chat(id: string, updatedAt: string): Chat {
  return { id, updatedAt: new Date(updatedAt).toISOString() };
}

/** Group labels with the ids in each, which is what the sidebar renders. */
function summarise(groups: ReturnType<typeof groupChatsByDate<Chat>>): Record<string, string[]> {
  return Object.fromEntries(groups.map((group) => [group.label, group.chats.map((c) => c.id)]));
}

describe('groupChatsByDate', () => {
  it('orders the fixed groups, then months newest first, and leaves out empty groups', () => {
    const now = new Date('2026-11-20T12:00:00-05:00');
    const groups = groupChatsByDate(
      [
        chat('today', '2026-11-20T09:00:00-05:00'),
        chat('yesterday', '2026-11-19T18:00:00-05:00'),
        chat('five-days', '2026-11-15T10:00:00-05:00'),
        chat('october', '2026-10-02T10:00:00-04:00'),
        chat('december-last-year', '2025-12-24T10:00:00-05:00'),
        chat('january', '2026-01-05T10:00:00-05:00'),
      ],
      now,
      NEW_YORK,
    );
    expect(groups.map((group) => group.label)).toEqual([
      'Today',
      'Yesterday',
      'Previous 7 days',
      'October 2026',
      'January 2026',
      'December 2025',
    ]);
    expect(groups.map((group) => group.key)).toEqual([
      'today',
      'yesterday',
      'previous-7-days',
      '2026-10',
      '2026-01',
      '2025-12',
    ]);
  });

  it('keeps the order of the chats inside a group', () => {
    const now = new Date('2026-11-20T12:00:00-05:00');
    const groups = groupChatsByDate(
      [
        chat('b', '2026-11-20T11:00:00-05:00'),
        chat('a', '2026-11-20T08:00:00-05:00'),
        chat('c', '2026-11-20T10:00:00-05:00'),
      ],
      now,
      NEW_YORK,
    );
    expect(summarise(groups)).toEqual({ Today: ['b', 'a', 'c'] });
  });

  it('returns no groups for no chats', () => {
    expect(groupChatsByDate([], new Date(), NEW_YORK)).toEqual([]);
  });

  it('splits at local midnight, not 24 hours back', () => {
    // Five past midnight: ten minutes ago was yesterday.
    const justAfterMidnight = new Date('2026-06-10T00:05:00-04:00');
    expect(
      summarise(
        groupChatsByDate(
          [chat('midnight', '2026-06-10T00:00:00-04:00'), chat('ten-minutes-ago', '2026-06-09T23:55:00-04:00')],
          justAfterMidnight,
          NEW_YORK,
        ),
      ),
    ).toEqual({ Today: ['midnight'], Yesterday: ['ten-minutes-ago'] });

    // A minute before midnight: everything since 00:00 is today, 00:01 the day before is yesterday (47 h ago).
    const justBeforeMidnight = new Date('2026-06-10T23:59:00-04:00');
    expect(
      summarise(
        groupChatsByDate(
          [chat('this-morning', '2026-06-10T00:01:00-04:00'), chat('day-before', '2026-06-09T00:01:00-04:00')],
          justBeforeMidnight,
          NEW_YORK,
        ),
      ),
    ).toEqual({ Today: ['this-morning'], Yesterday: ['day-before'] });
  });

  it("uses the given zone's calendar, not UTC's", () => {
    // 23:30 on the 4th in New York is 03:30 on the 5th in UTC, the same UTC day as 09:00 on the 5th in New York.
    const now = new Date('2026-10-05T09:00:00-04:00');
    const lastNight = chat('last-night', '2026-10-04T23:30:00-04:00');
    expect(summarise(groupChatsByDate([lastNight], now, NEW_YORK))).toEqual({ Yesterday: ['last-night'] });
    expect(summarise(groupChatsByDate([lastNight], now, { timeZone: 'UTC' }))).toEqual({ Today: ['last-night'] });
  });

  it('puts a chat in the month of its local date', () => {
    const now = new Date('2026-11-20T12:00:00-05:00');
    // 03:30 UTC on 1 September, still 31 August in New York.
    const endOfAugust = chat('end-of-august', '2026-08-31T23:30:00-04:00');
    expect(summarise(groupChatsByDate([endOfAugust], now, NEW_YORK))).toEqual({ 'August 2026': ['end-of-august'] });
    expect(summarise(groupChatsByDate([endOfAugust], now, { timeZone: 'UTC' }))).toEqual({
      'September 2026': ['end-of-august'],
    });
  });

  it('counts a 23-hour spring-forward day as one day', () => {
    // New York moved its clocks forward on 8 March 2026: 00:30 EST on the 8th is only 23 h before 00:30 EDT on the 9th.
    const now = new Date('2026-03-09T00:30:00-04:00');
    const groups = groupChatsByDate([chat('sunday', '2026-03-08T00:30:00-05:00')], now, NEW_YORK);
    expect(summarise(groups)).toEqual({ Yesterday: ['sunday'] });
  });

  it('counts a 25-hour fall-back day as one day', () => {
    // New York moved its clocks back on 1 November 2026: 00:10 EDT and 23:30 EST that day are 25 h 20 min apart.
    const now = new Date('2026-11-01T23:30:00-05:00');
    const groups = groupChatsByDate([chat('early', '2026-11-01T00:10:00-04:00')], now, NEW_YORK);
    expect(summarise(groups)).toEqual({ Today: ['early'] });
  });

  it('draws the 7-day and 30-day edges on calendar days across a DST change', () => {
    const now = new Date('2026-03-10T00:30:00-04:00'); // two days after spring-forward
    const groups = groupChatsByDate(
      [
        chat('seven-days', '2026-03-03T00:10:00-05:00'),
        chat('eight-days', '2026-03-02T23:50:00-05:00'),
        chat('thirty-days', '2026-02-08T00:00:00-05:00'),
        chat('thirty-one-days', '2026-02-07T23:59:00-05:00'),
      ],
      now,
      NEW_YORK,
    );
    expect(summarise(groups)).toEqual({
      'Previous 7 days': ['seven-days'],
      'Previous 30 days': ['eight-days', 'thirty-days'],
      'February 2026': ['thirty-one-days'],
    });
  });

  it('treats a time ahead of now (a clock out of step) as today', () => {
    const now = new Date('2026-06-10T12:00:00Z');
    const groups = groupChatsByDate([chat('ahead', '2026-06-12T12:00:00Z')], now, { timeZone: 'UTC' });
    expect(summarise(groups)).toEqual({ Today: ['ahead'] });
  });

  it('puts a chat with an unreadable date last instead of failing', () => {
    const now = new Date('2026-06-10T12:00:00Z');
    const groups = groupChatsByDate(
      [{ id: 'broken', updatedAt: 'not a date' }, chat('fine', '2026-06-10T08:00:00Z')],
      now,
      { timeZone: 'UTC' },
    );
    expect(summarise(groups)).toEqual({ Today: ['fine'], Older: ['broken'] });
    expect(groups.at(-1)?.key).toBe('undated');
  });

  describe("without a zone, the runtime's own", () => {
    const originalZone = process.env.TZ;
    afterEach(() => {
      if (originalZone === undefined) delete process.env.TZ;
      else process.env.TZ = originalZone;
    });

    it('follows the process time zone', () => {
      // 23:30 on the 4th in Los Angeles is 15:30 on the 5th in Tokyo; "now" is noon on the 5th in both places' terms below.
      const lateEvening = chat('late-evening', '2026-10-04T23:30:00-07:00');

      process.env.TZ = 'America/Los_Angeles';
      expect(summarise(groupChatsByDate([lateEvening], new Date('2026-10-05T12:00:00-07:00')))).toEqual({
        Yesterday: ['late-evening'],
      });

      process.env.TZ = 'Asia/Tokyo';
      expect(summarise(groupChatsByDate([lateEvening], new Date('2026-10-05T18:00:00+09:00')))).toEqual({
        Today: ['late-evening'],
      });
    });
  });
});
