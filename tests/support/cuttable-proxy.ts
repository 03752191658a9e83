import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to put between Iris and Postgres or Redis, so a test can cause the faults an operator meets:
 * `cut()` drops every open connection and refuses new ones (an outage), `restore()` ends it, and `latencyMs`
 * delays every chunk in both directions (a slow database). Nothing is mocked: the drivers see real sockets.
 */

export interface CuttableProxy {
  /** Where clients connect instead of the target, e.g. `127.0.0.1:54321`. */
  host: string;
  port: number;
  /** Drops open connections and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  /** Added to every chunk, both directions; 0 for none. */
  setLatency(ms: number): void;
  readonly isCut: boolean;
  /** Connections accepted so far (to check that a client reconnected). */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startCuttableProxy(target: { host: string; port: number }): Promise<CuttableProxy> {
  const open = new Set<Socket>();
  let isCut = false;
  let latencyMs = 0;
  let connections = 0;

  const relay = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => {
      if (latencyMs === 0) to.write(chunk);
      else {
        // Pausing keeps the order of chunks while each waits out its delay.
        from.pause();
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
          from.resume();
        }, latencyMs);
      }
    });
  };

  const server: Server = createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    connections += 1;
    const upstream = createConnection(target);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {});
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    relay(client, upstream);
    relay(upstream, client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('cuttable proxy: no port');

  return {
    host: '127.0.0.1',
    port: address.port,
    cut() {
      isCut = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      isCut = false;
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
    get isCut() {
      return isCut;
    },
    get connections() {
      return connections;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
