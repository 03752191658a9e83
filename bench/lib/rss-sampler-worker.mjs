import { parentPort, workerData } from 'node:worker_threads';
import { treeRssBytes } from './proc.mjs';

const { pids, intervalMs } = workerData;
let peak = 0;
let samples = 0;

const sample = () => {
  peak = Math.max(peak, treeRssBytes(pids));
  samples++;
};

setInterval(sample, intervalMs);
parentPort.on('message', (command) => {
  // A sample at each window edge, so even a phase shorter than one interval has its endpoints in the peak.
  sample();
  if (command === 'reset') {
    peak = 0;
    samples = 0;
    sample();
  }
  parentPort.postMessage({ peak, samples });
});
