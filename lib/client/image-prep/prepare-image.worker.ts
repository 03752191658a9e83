// Decodes, resizes and encodes off the main thread, so a 12-megapixel photo never freezes typing or scrolling.
// Runs as a module worker or (under Turbopack) a classic one: nothing here may depend on which.

import { canvasCodec, hasOffscreenSupport } from './canvas-codec';
import { runPipeline } from './pipeline';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

const cancelled = new Set<number>();

function reply(message: WorkerResponse): void {
  self.postMessage(message);
}

async function prepare(id: number, request: Extract<WorkerRequest, { type: 'prepare' }>['request']): Promise<void> {
  if (!hasOffscreenSupport()) {
    reply({ id, unsupported: true });
    return;
  }
  try {
    reply({ id, result: await runPipeline(request, canvasCodec, () => cancelled.has(id)) });
  } catch {
    // A decoder or encoder failing outright (out of memory, a broken file) must still settle the caller.
    reply({ id, result: { ok: false, reason: 'unreadable', message: 'This image could not be prepared.' } });
  } finally {
    cancelled.delete(id);
  }
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  if (message.type === 'cancel') cancelled.add(message.id);
  else void prepare(message.id, message.request);
});
