import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getOrCreateServerSecret } from '@/lib/storage/server-secrets';
import {
  deleteExpiredSessions,
  deleteSessionsOfKey,
  deleteSessionsOfOtherKeys,
  findSession,
  insertSession,
  touchSession,
} from '@/lib/storage/sessions';
import { backends, owner, useDatabase } from '@/tests/support/databases';

const hex = () => randomBytes(32).toString('hex');
const DAY = 24 * 3600 * 1000;

describe.each(backends)('sessions and server secrets on $name', (backend) => {
  const handle = useDatabase(backend);

  it('keeps a session record, moves its idle clock, and ends the sessions of one key at once', async () => {
    const [digest, otherDigest] = [hex(), hex()];
    const now = new Date();
    const ids = [hex(), hex()];
    for (const id of ids) await insertSession(handle.db, { id, ownerId: owner(), keyDigest: digest, now });
    const other = await insertSession(handle.db, { id: hex(), ownerId: owner(), keyDigest: otherDigest, now });
    expect((await findSession(handle.db, ids[0] as string))?.keyDigest).toBe(digest);

    const later = new Date(now.getTime() + 60_000);
    await touchSession(handle.db, ids[0] as string, later);
    expect((await findSession(handle.db, ids[0] as string))?.lastSeenAt.getTime()).toBe(later.getTime());

    expect((await deleteSessionsOfKey(handle.db, digest)).sort()).toEqual([...ids].sort());
    expect(await findSession(handle.db, ids[1] as string)).toBeUndefined();
    expect(await findSession(handle.db, other.id)).toBeDefined();
    await deleteSessionsOfKey(handle.db, otherDigest);
  });

  it('removes sessions past the idle or the absolute limit, and those of keys no longer configured', async () => {
    const now = Date.now();
    const digest = hex();
    const fresh = await insertSession(handle.db, {
      id: hex(),
      ownerId: owner(),
      keyDigest: digest,
      now: new Date(now),
    });
    const idle = await insertSession(handle.db, {
      id: hex(),
      ownerId: owner(),
      keyDigest: digest,
      now: new Date(now - 8 * DAY),
    });
    const old = await insertSession(handle.db, {
      id: hex(),
      ownerId: owner(),
      keyDigest: digest,
      now: new Date(now - 31 * DAY),
    });
    await touchSession(handle.db, old.id, new Date(now));
    await deleteExpiredSessions(handle.db, {
      idleSince: new Date(now - 7 * DAY),
      createdBefore: new Date(now - 30 * DAY),
    });
    expect(await findSession(handle.db, fresh.id)).toBeDefined();
    expect(await findSession(handle.db, idle.id)).toBeUndefined();
    expect(await findSession(handle.db, old.id)).toBeUndefined();

    const removedKey = await insertSession(handle.db, {
      id: hex(),
      ownerId: owner(),
      keyDigest: hex(),
      now: new Date(),
    });
    expect(await deleteSessionsOfOtherKeys(handle.db, [digest])).toContain(removedKey.id);
    expect(await findSession(handle.db, fresh.id)).toBeDefined();
  });

  it('makes a server secret once, race-safe: instances starting together all get the same one', async () => {
    const name = `test-${randomBytes(4).toString('hex')}`;
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, i) => getOrCreateServerSecret(handle.db, name, () => `candidate-${i}-${hex()}`)),
    );
    expect(new Set(made).size).toBe(1);
    expect(await getOrCreateServerSecret(handle.db, name, () => 'never used')).toBe(made[0]);
  });
});
