import { createConnection, createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CuttableProxy, startCuttableProxy } from '../../support/cuttable-proxy';

/** An echo server stands in for Postgres/Redis: what goes through the proxy comes back. */
let echo: Server;
let proxy: CuttableProxy;

beforeEach(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  const address = echo.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  proxy = await startCuttableProxy({ host: '127.0.0.1', port: address.port });
});

afterEach(async () => {
  await proxy.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

function roundTrip(text: string): Promise<{ reply: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = createConnection({ host: proxy.host, port: proxy.port });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed')));
    socket.once('data', (data) => {
      resolve({ reply: data.toString(), ms: performance.now() - started });
      socket.removeAllListeners('close');
      socket.destroy();
    });
    socket.write(text);
  });
}

describe('cuttable TCP proxy', () => {
  it('relays, refuses while cut, and relays again once restored', async () => {
    expect((await roundTrip('one')).reply).toBe('one');
    proxy.cut();
    await expect(roundTrip('two')).rejects.toThrow();
    proxy.restore();
    expect((await roundTrip('three')).reply).toBe('three');
    expect(proxy.connections).toBe(2);
  });

  it('drops connections that are open when it is cut', async () => {
    const socket = createConnection({ host: proxy.host, port: proxy.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => {});
    proxy.cut();
    await closed;
    expect(socket.destroyed).toBe(true);
  });

  it('adds the latency it is given', async () => {
    proxy.setLatency(100);
    // Once each way.
    expect((await roundTrip('slow')).ms).toBeGreaterThanOrEqual(190);
  });
});
