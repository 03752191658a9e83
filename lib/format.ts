/** Human-readable sizes and durations for messages. */

const KiB = 1024;
const MiB = 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${trimZero((bytes / MiB).toFixed(1))} MB`;
  if (bytes >= KiB) return `${trimZero((bytes / KiB).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${trimZero((ms / 1000).toFixed(1))} s`;
}

function trimZero(n: string): string {
  return n.replace(/\.0$/, '');
}
