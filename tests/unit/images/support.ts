import type * as dns from 'node:dns';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expect } from 'vitest';
import { ApiError } from '@/lib/errors';

const FIXTURES = new URL('../../fixtures/images/', import.meta.url);

/** Tiny real images written by libvips (2×2 pixels), kept under tests/fixtures/images/. */
export function fixture(
  name: 'tiny.png' | 'tiny.jpg' | 'tiny.webp' | 'tiny.gif' | 'tiny.avif' | 'tiny.tiff',
): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

/** A leading ISO-BMFF ftyp box: all file-type reads to name HEIC/HEIF/AVIF. */
export function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const size = 16 + compatible.length * 4;
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major.padEnd(4), 8, 'latin1');
  compatible.forEach((brand, i) => {
    box.write(brand, 16 + i * 4, 'latin1');
  });
  return new Uint8Array(box);
}

export function dataUrl(type: string, bytes: Uint8Array): string {
  return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  server: Server;
  port: number;
  origin: string;
  /** Requests that reached the handler. */
  requests: string[];
  /** TCP connections accepted, whether or not a request followed. */
  connections: number;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 and an ephemeral port, counting what reaches it. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, requests: [] as string[] };
  const server = createServer((req, res) => {
    state.requests.push(req.url ?? '');
    handler(req, res);
  });
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    requests: state.requests,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A stand-in for dns.lookup answering from a script: the Nth call gets answers[N] (the last one
 * repeats). Records every call so tests can see when (and whether) a name was resolved.
 */
export function scriptedLookup(...answers: (string[] | NodeJS.ErrnoException)[]) {
  const calls: { hostname: string; options: dns.LookupOptions }[] = [];
  const lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    const answer = answers[Math.min(calls.length, answers.length - 1)] ?? [];
    calls.push({ hostname, options });
    setImmediate(() => {
      if (answer instanceof Error) return callback(answer, options.all ? [] : '');
      const addresses = answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
    });
  };
  return { lookup: lookup as unknown as typeof dns.lookup, calls };
}

export function dnsError(code: string, hostname: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`getaddrinfo ${code} ${hostname}`);
  error.code = code;
  return error;
}

/** Awaits a rejection and checks it is the ApiError we expect; returns it for further checks. */
export async function expectApiError(
  promise: Promise<unknown> | (() => unknown),
  expected: { status: number; code: string; param?: string },
): Promise<ApiError> {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ApiError);
  const error = caught as ApiError;
  expect({ status: error.status, code: error.code }).toEqual({ status: expected.status, code: expected.code });
  if (expected.param !== undefined) expect(error.param).toBe(expected.param);
  return error;
}
