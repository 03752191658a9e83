import type * as dns from 'node:dns';
import { connect, type LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockedAddressError, createGuardedLookup } from '@/lib/images/guarded-lookup';
import { dnsError, scriptedLookup, startServer, type TestServer } from './support';

type Answer = { error: NodeJS.ErrnoException | null; address: string | dns.LookupAddress[]; family?: number };

function call(lookup: LookupFunction, options: dns.LookupOptions): Promise<Answer> {
  return new Promise((resolve) => {
    lookup('img.example', options, (error, address, family) => resolve({ error, address, family }));
  });
}

describe('createGuardedLookup called directly', () => {
  it('answers in the single-address form when all is not set, asking the real lookup for all', async () => {
    const { lookup, calls } = scriptedLookup(['93.184.215.14', '2606:4700::1111']);
    const answer = await call(createGuardedLookup(lookup, false), { family: 0, hints: 0 });
    expect(answer).toEqual({ error: null, address: '93.184.215.14', family: 4 });
    expect(calls[0]?.options).toMatchObject({ all: true, family: 0, hints: 0 });
  });

  it('answers in the list form when all is set', async () => {
    const { lookup } = scriptedLookup(['93.184.215.14', '2606:4700::1111']);
    const answer = await call(createGuardedLookup(lookup, false), { all: true });
    expect(answer.error).toBeNull();
    expect(answer.address).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700::1111', family: 6 },
    ]);
  });

  it('refuses the host if any address is private, in either form', async () => {
    for (const all of [true, false]) {
      const { lookup } = scriptedLookup(['93.184.215.14', '10.0.0.7']);
      const answer = await call(createGuardedLookup(lookup, false), { all });
      expect(answer.error).toBeInstanceOf(BlockedAddressError);
    }
  });

  it('lets private addresses through when allowed', async () => {
    const { lookup } = scriptedLookup(['127.0.0.1']);
    expect(await call(createGuardedLookup(lookup, true), {})).toEqual({ error: null, address: '127.0.0.1', family: 4 });
  });

  it('passes DNS errors through and turns an empty answer into ENOTFOUND', async () => {
    const failing = scriptedLookup(dnsError('ENOTFOUND', 'img.example'));
    expect((await call(createGuardedLookup(failing.lookup, false), {})).error?.code).toBe('ENOTFOUND');
    const empty = scriptedLookup([]);
    expect((await call(createGuardedLookup(empty.lookup, false), { all: true })).error?.code).toBe('ENOTFOUND');
  });
});

describe('createGuardedLookup used by net.connect', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => res.end('ok'));
  });
  afterAll(async () => {
    await server.close();
  });

  function tryConnect(lookup: LookupFunction, autoSelectFamily: boolean): Promise<Error | null> {
    return new Promise((resolve) => {
      const socket = connect({ host: 'img.example', port: server.port, lookup, autoSelectFamily });
      socket.once('connect', () => {
        socket.destroy();
        resolve(null);
      });
      socket.once('error', (error) => resolve(error));
    });
  }

  // Node asks with all: true when autoSelectFamily is on (its default) and for one address otherwise.
  it.each([true, false])('connects with an allowed answer (autoSelectFamily %s)', async (autoSelectFamily) => {
    const { lookup, calls } = scriptedLookup(['127.0.0.1']);
    expect(await tryConnect(createGuardedLookup(lookup, true), autoSelectFamily)).toBeNull();
    expect(calls).toHaveLength(1);
  });

  it.each([true, false])(
    'never opens the socket for a refused answer (autoSelectFamily %s)',
    async (autoSelectFamily) => {
      const before = server.connections;
      const { lookup } = scriptedLookup(['127.0.0.1']);
      const error = await tryConnect(createGuardedLookup(lookup, false), autoSelectFamily);
      expect(error).toBeInstanceOf(BlockedAddressError);
      expect(server.connections).toBe(before);
    },
  );
});
