import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Newest modification time of any file under `paths` (files or directories), in ms. */
function newestMtime(root, paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (!stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs);
      return;
    }
    for (const entry of readdirSync(path)) visit(join(path, entry));
  };
  for (const path of paths) visit(join(root, path));
  return newest;
}

/** Why the production build must be redone before benchmarking it, or null when it is current. */
export function staleBuildReason(root, sources, distDir = '.next') {
  const buildId = join(root, distDir, 'BUILD_ID');
  if (!existsSync(buildId)) return `no production build (${distDir}/BUILD_ID is missing)`;
  const built = statSync(buildId).mtimeMs;
  const newest = newestMtime(root, sources);
  return newest > built ? `sources changed since the last build (${sources.join(', ')})` : null;
}

export function runToCompletion(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, options);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `next start` as its own process group, so stop() (and an exit hook, for crashes and Ctrl-C) can end it and
 * anything it spawns by group id, never by name.
 */
export function startNext({ node, nextBin, nodeArgs = [], root, port, env, logFile }) {
  const child = spawn(node, [...nodeArgs, nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const logStream = createWriteStream(logFile);
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
    logStream.write(chunk);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      logStream.end();
      resolve({ code, signal });
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the whole group is already gone
    }
  };
  const killOnExit = () => signalGroup('SIGKILL');
  process.on('exit', killOnExit);

  return {
    pid: child.pid,
    output: () => output,
    alive,
    async waitUntilAnswers(url, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        if (!alive()) throw new Error(`next start exited before answering:\n${output}`);
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
          await res.arrayBuffer();
          return;
        } catch {
          await sleep(50);
        }
      }
      throw new Error(`next start did not answer ${url} within ${timeoutMs} ms:\n${output}`);
    },
    /** SIGTERM, then SIGKILL after `graceMs`; resolves once the server process is gone. */
    async stop(graceMs = 5_000) {
      if (alive()) {
        signalGroup('SIGTERM');
        const ended = await Promise.race([exited, sleep(graceMs).then(() => null)]);
        if (ended === null) signalGroup('SIGKILL');
        await exited;
      }
      // Whatever the leader left behind in its group goes too.
      signalGroup('SIGKILL');
      process.off('exit', killOnExit);
      return exited;
    },
  };
}
