import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from './types.ts';

/** One in-flight request: its record, its response, and a signal that fires when either side gives up. */
export interface Exchange {
  res: ServerResponse;
  record: RecordedRequest;
  /** Aborted when the connection closes or the fake shuts down, so pending timers are cleared at once. */
  signal: AbortSignal;
  /** Resolves true after `ms`, or false as soon as the exchange is aborted. */
  sleep(ms: number): Promise<boolean>;
  sendJson(status: number, body: unknown): void;
  sendText(status: number, contentType: string, text: string): void;
  /** Kills the connection on purpose; the record counts this as the fake finishing, not the client aborting. */
  cut(): void;
}

export function openExchange(res: ServerResponse, record: RecordedRequest, inflight: Set<AbortController>): Exchange {
  const controller = new AbortController();
  const { signal } = controller;
  inflight.add(controller);
  let cutOnPurpose = false;

  res.once('finish', () => {
    record.finishedAt ??= Date.now();
  });
  res.once('close', () => {
    inflight.delete(controller);
    if (!res.writableEnded && !cutOnPurpose) {
      record.clientAborted = true;
      record.closedAt = Date.now();
    }
    controller.abort();
  });

  const sendText = (status: number, contentType: string, text: string) => {
    if (signal.aborted) return;
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  return {
    res,
    record,
    signal,
    sleep: (ms) => sleep(ms, signal),
    // Pretty-printed like Google's own non-streaming bodies.
    sendJson: (status, body) => sendText(status, 'application/json; charset=UTF-8', JSON.stringify(body, null, 2)),
    sendText,
    cut: () => {
      cutOnPurpose = true;
      record.finishedAt = Date.now();
      res.destroy();
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
