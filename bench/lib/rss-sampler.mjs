import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/**
 * Samples the summed RSS of `pids` on its own thread: the bench's main thread also hosts the fake Gemini, which
 * blocks for tens of milliseconds on each multi-megabyte body, and a timer there would miss exactly those peaks.
 */
export async function startRssSampler(pids, intervalMs) {
  const worker = new Worker(new URL('./rss-sampler-worker.mjs', import.meta.url), { workerData: { pids, intervalMs } });
  await once(worker, 'online');
  const ask = async (command) => {
    worker.postMessage(command);
    const [reply] = await once(worker, 'message');
    return reply;
  };
  return {
    /** Starts a new window: the next report covers only samples from now on. */
    reset: () => ask('reset'),
    /** { peak, samples } since the last reset; peak in bytes. */
    report: () => ask('report'),
    stop: () => worker.terminate(),
  };
}
