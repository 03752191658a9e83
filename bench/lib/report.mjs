const ms = (v) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const signedMs = (v) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(2)}` : 'n/a');
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const gib = (bytes) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
const verdict = (pass) => (pass ? 'PASS' : 'MISS');

/** Left-aligns the first column and right-aligns the rest. */
function grid(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('   '),
    )
    .map((line) => `  ${line.trimEnd()}`)
    .join('\n');
}

function machineLine(r) {
  const m = r.machine;
  return `${m.cpuModel}, ${m.cores} cores, ${gib(m.memTotalBytes)} RAM, Linux ${m.kernel}, Node ${m.node}, Next ${m.next}`;
}

const pct = (s) => [ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];

export function renderTable(r) {
  const { latency: lat, ttfb, holdBack: hb, memory: mem } = r;
  const out = [];
  out.push('', `Iris benchmark, ${r.date}`, `  ${machineLine(r)}`);
  out.push(
    `  other processes used ${r.contention.otherProcessesCores.toFixed(2)} of ${r.machine.cores} cores during the run, ` +
      `hypervisor steal ${r.contention.stealCores.toFixed(2)} (load average at the end ` +
      `${r.contention.loadavg.map((l) => l.toFixed(2)).join(' ')})`,
  );
  if (r.serverNodeArgs.length > 0) {
    out.push(`  NOTE: server ran with ${r.serverNodeArgs.join(' ')}; the numbers include that overhead`);
  }
  out.push(
    `  next start answered after ${ms(r.server.readyMs)} ms; first chat request (cold) ${ms(r.server.firstRequestMs)} ms, ` +
      `first stream ${ms(r.server.firstStreamMs)} ms`,
    `  warm-up, Iris non-stream p50 per ${r.server.warmupBatch} requests: ${r.server.warmupP50.map(ms).join(' → ')} ms`,
  );

  out.push('', `Non-stream latency, ms (${lat.iris.n} sequential requests each, interleaved)`);
  out.push(
    grid([
      ['', 'p50', 'p90', 'p99', 'max', 'mean'],
      ['Iris', ...pct(lat.iris), ms(lat.iris.mean)],
      ['Floor (fake direct)', ...pct(lat.floor), ms(lat.floor.mean)],
      [
        'Added by Iris',
        signedMs(lat.iris.p50 - lat.floor.p50),
        signedMs(lat.iris.p90 - lat.floor.p90),
        signedMs(lat.iris.p99 - lat.floor.p99),
        '',
        signedMs(lat.iris.mean - lat.floor.mean),
      ],
    ]),
  );
  out.push('', 'Where the time goes, mean ms (client clock vs the fake’s receivedAt/finishedAt, 1 ms resolution)');
  const s = lat.split;
  out.push(
    grid([
      ['', 'until fake has request', 'inside fake', 'after fake finished'],
      ['Iris', ms(s.iris.before), ms(s.iris.inFake), ms(s.iris.after)],
      ['Floor', ms(s.floor.before), ms(s.floor.inFake), ms(s.floor.after)],
      [
        'Added by Iris',
        signedMs(s.iris.before - s.floor.before),
        signedMs(s.iris.inFake - s.floor.inFake),
        signedMs(s.iris.after - s.floor.after),
      ],
    ]),
  );

  out.push(`  server CPU per Iris request: ${ms(lat.serverCpuMsPerRequest)} ms (user + system, 10 ms ticks)`);

  out.push('', `Throughput, requests/s (closed loop, ${r.plan.throughputMs / 1000} s per cell)`);
  out.push(
    grid([
      ['', ...r.throughput.map((t) => `concurrency ${t.concurrency}`)],
      ['Iris', ...r.throughput.map((t) => t.iris.rps.toFixed(0))],
      ['Floor (fake direct)', ...r.throughput.map((t) => t.floor.rps.toFixed(0))],
      ['Iris / floor', ...r.throughput.map((t) => `${((100 * t.iris.rps) / t.floor.rps).toFixed(0)}%`)],
      ['Server CPU ms / Iris request', ...r.throughput.map((t) => ms(t.iris.cpu.serverMsPerRequest))],
      ['Bench CPU ms / Iris request', ...r.throughput.map((t) => ms(t.iris.cpu.benchMsPerRequest))],
      ['Bench CPU ms / floor request', ...r.throughput.map((t) => ms(t.floor.cpu.benchMsPerRequest))],
    ]),
  );
  out.push('  (bench = client + fake Gemini, one process; the floor needs no server)');

  out.push('', `Streaming, ms (${ttfb.iris.ttfb.n} streams each, 4 chunks, no delay)`);
  out.push(
    grid([
      ['', 'p50', 'p90', 'p99', 'max'],
      ['Iris TTFB (response head)', ...pct(ttfb.iris.ttfb)],
      ['Iris first content chunk', ...pct(ttfb.iris.firstContent)],
      ['Floor TTFB', ...pct(ttfb.floor.ttfb)],
      ['Floor first chunk', ...pct(ttfb.floor.firstChunk)],
      [
        'TTFB overhead',
        signedMs(ttfb.iris.ttfb.p50 - ttfb.floor.ttfb.p50),
        signedMs(ttfb.iris.ttfb.p90 - ttfb.floor.ttfb.p90),
        signedMs(ttfb.iris.ttfb.p99 - ttfb.floor.ttfb.p99),
        '',
      ],
      [
        'First-content overhead',
        signedMs(ttfb.iris.firstContent.p50 - ttfb.floor.firstChunk.p50),
        signedMs(ttfb.iris.firstContent.p90 - ttfb.floor.firstChunk.p90),
        signedMs(ttfb.iris.firstContent.p99 - ttfb.floor.firstChunk.p99),
        '',
      ],
    ]),
  );

  out.push(
    '',
    `Chunk hold-back (${hb.streams} streams × ${hb.chunks} chunks, ${hb.chunkDelayMs} ms apart; lag = Iris delivered − fake wrote)`,
  );
  out.push(
    grid([
      ['', 'p50', 'p90', 'p99', 'max'],
      ['Per-chunk lag, ms', ...pct(hb.delay)],
    ]),
  );
  out.push(
    `  chunks lagging more than ${hb.chunkDelayMs} ms: ${hb.chunksLaggingMoreThanOneDelay} of ${hb.delay.n}; ` +
      `chunks delivered in one read with another: ${hb.batchedChunks}`,
    `  the fake's own gaps between chunks (meant to be ${hb.chunkDelayMs} ms): p50 ${ms(hb.fakeInterval.p50)}, ` +
      `max ${ms(hb.fakeInterval.max)} ms`,
  );
  for (const l of hb.lagging.slice(0, 10)) {
    out.push(
      `  lagging: stream ${l.stream} chunk ${l.chunk} by ${ms(l.lagMs)} ms (sent ${l.sinceServerStartMs.toFixed(0)} ms after server spawn)` +
        (l.deliveredWith > 0 ? `, delivered together with ${l.deliveredWith} other chunk(s)` : ', delivered alone'),
    );
  }
  for (const problem of hb.problems) out.push(`  PROBLEM: ${problem}`);

  const tree = mem.summedTree ? `process tree ${mem.pids.join('+')}, summed` : `single process ${mem.pids[0]}`;
  out.push('', `Memory: server RSS (${tree})`);
  const row = (label, p) => [
    label,
    mb(p.imageBytes),
    mb(p.requestBodyBytes),
    mb(p.rssBefore),
    mb(p.rssPeak),
    mb(p.rssAfter),
    `${p.extraPeakMultiple.toFixed(2)}×`,
    `${p.status200}/${p.requests}`,
    `${p.sha256Verified}/${p.requests}`,
  ];
  out.push(
    grid([
      ['', 'image', 'request', 'RSS before', 'peak', 'after', 'extra peak / image', 'HTTP 200', 'sha256 ok'],
      row('first ~6 MB image alone', mem.firstSmallImage),
      row(`${mem.smallImages.requests} × ~6 MB image`, mem.smallImages),
      row('1 × ~20 MB image', mem.bigImage),
    ]),
  );
  out.push(`  RSS 1 s after the last request: ${mb(mem.rssSettled)}`);
  out.push(`  server RSS through the run: ${r.rssTimeline.map((p) => `${p.after} ${mb(p.bytes)}`).join(' → ')}`);

  const emb = r.embeddings;
  out.push(
    '',
    `Embeddings (${emb.inputs} inputs × ${emb.dimensions} dimensions per request, base64; ${emb.batchesPerRequest} Gemini batches each)`,
  );
  out.push(
    grid([
      ['', ...emb.throughput.map((t) => `concurrency ${t.concurrency}`), 'latency p50 ms', 'p90 ms'],
      [
        'Iris, inputs/s',
        ...emb.throughput.map((t) => t.iris.inputsPerSecond.toFixed(0)),
        ms(emb.latency.iris.p50),
        ms(emb.latency.iris.p90),
      ],
      [
        'Floor (fake direct), inputs/s',
        ...emb.throughput.map((t) => t.floor.inputsPerSecond.toFixed(0)),
        ms(emb.latency.floor.p50),
        ms(emb.latency.floor.p90),
      ],
      ['Iris / floor', ...emb.throughput.map((t) => `${((100 * t.iris.rps) / t.floor.rps).toFixed(0)}%`), '', ''],
      ['Server CPU ms / Iris request', ...emb.throughput.map((t) => ms(t.iris.cpu.serverMsPerRequest)), '', ''],
    ]),
  );

  out.push('', 'Targets');
  out.push(
    grid(r.targets.map((t) => [t.name, `${t.value.toFixed(2)} ${t.unit}`, `target ${t.target}`, verdict(t.pass)])),
  );
  out.push(
    '',
    `Total bench time ${r.seconds.toFixed(0)} s${r.build.built ? ` (next build ${r.build.seconds.toFixed(0)} s)` : ''}`,
    '',
  );
  return out.join('\n');
}

export function renderMarkdown(r) {
  const { latency: lat, ttfb, holdBack: hb, memory: mem } = r;
  const target = (name) => r.targets.find((t) => t.name === name);
  const cell = (t) => `${t.target} **${verdict(t.pass)}**`;
  const rssLimit = r.limits.extraRssMultiple;
  const rssRow = (label, p) =>
    `| Peak extra server RSS, ${label} | ${mb(p.rssPeak - p.rssBefore)} (${p.extraPeakMultiple.toFixed(1)}× the image) | | | ` +
    `≤ ${rssLimit}× **${verdict(p.extraPeakMultiple <= rssLimit)}** |`;
  const lines = [
    `Measured by \`npm run bench\` on ${r.date.slice(0, 10)}: ${machineLine(r)}.`,
    'The production server (`next start`) talks to the fake Gemini at zero latency over 127.0.0.1; the **floor** is',
    'the same Gemini request sent straight to the fake, so the difference is what Iris adds (one more HTTP hop plus',
    'Next.js, the AI SDK and Iris itself). Client, fake and server share the machine, so the numbers are pessimistic;',
    `the differences are what matter. Measured after ${r.plan.warmup.json + r.plan.warmup.stream} warm-up requests.`,
    `Other processes used ${r.contention.otherProcessesCores.toFixed(2)} of the ${r.machine.cores} cores meanwhile.`,
    '',
    '| Measure | Iris | Floor | Added by Iris | Target |',
    '|---|---:|---:|---:|---|',
    `| Non-stream latency p50 | ${ms(lat.iris.p50)} ms | ${ms(lat.floor.p50)} ms | ${signedMs(lat.iris.p50 - lat.floor.p50)} ms | ${cell(target('Added latency p50'))} |`,
    `| Non-stream latency p90 | ${ms(lat.iris.p90)} ms | ${ms(lat.floor.p90)} ms | ${signedMs(lat.iris.p90 - lat.floor.p90)} ms | |`,
    `| Non-stream latency p99 | ${ms(lat.iris.p99)} ms | ${ms(lat.floor.p99)} ms | ${signedMs(lat.iris.p99 - lat.floor.p99)} ms | |`,
    ...r.throughput.map(
      (t) =>
        `| Throughput, concurrency ${t.concurrency} | ${t.iris.rps.toFixed(0)} req/s | ${t.floor.rps.toFixed(0)} req/s | ${((100 * t.iris.rps) / t.floor.rps).toFixed(0)}% of floor | |`,
    ),
    `| Server CPU per request | ${ms(lat.serverCpuMsPerRequest)} ms | | | |`,
    `| Stream time to first byte p50 | ${ms(ttfb.iris.ttfb.p50)} ms | ${ms(ttfb.floor.ttfb.p50)} ms | ${signedMs(ttfb.iris.ttfb.p50 - ttfb.floor.ttfb.p50)} ms | ${cell(target('Stream TTFB overhead p50'))} |`,
    `| Stream time to first byte p99 | ${ms(ttfb.iris.ttfb.p99)} ms | ${ms(ttfb.floor.ttfb.p99)} ms | ${signedMs(ttfb.iris.ttfb.p99 - ttfb.floor.ttfb.p99)} ms | |`,
    `| Stream first content chunk p50 | ${ms(ttfb.iris.firstContent.p50)} ms | ${ms(ttfb.floor.firstChunk.p50)} ms | ${signedMs(ttfb.iris.firstContent.p50 - ttfb.floor.firstChunk.p50)} ms | |`,
    `| Chunk lag p50 / p99 / max (${hb.streams} streams × ${hb.chunks} chunks, ${hb.chunkDelayMs} ms apart) | ${ms(hb.delay.p50)} / ${ms(hb.delay.p99)} / ${ms(hb.delay.max)} ms | | | ${cell(target('No chunk held back'))} |`,
    rssRow(`one ${mb(mem.firstSmallImage.imageBytes)} image`, mem.firstSmallImage),
    rssRow(`${mem.smallImages.requests} × ${mb(mem.smallImages.imageBytes)} images in a row`, mem.smallImages),
    rssRow(`one ${mb(mem.bigImage.imageBytes)} image (after those)`, mem.bigImage),
    ...embeddingRows(r.embeddings),
    '',
    `Every image request returned 200 and the fake received the exact bytes (SHA-256 checked): ` +
      `${mem.smallImages.sha256Verified + mem.bigImage.sha256Verified}/${mem.smallImages.requests + mem.bigImage.requests}. ` +
      `Chunks that lagged more than one chunk-delay: ${hb.chunksLaggingMoreThanOneDelay} of ${hb.delay.n}. ` +
      `Server RSS through the run: ${r.rssTimeline.map((p) => `${p.after} ${mb(p.bytes)}`).join(', ')}.`,
    '',
  ];
  return lines.join('\n');
}

function embeddingRows(emb) {
  const what = `${emb.inputs} inputs × ${emb.dimensions} dims, base64`;
  return [
    ...emb.throughput.map(
      (t) =>
        `| Embeddings throughput, concurrency ${t.concurrency} (${what}) | ${t.iris.inputsPerSecond.toFixed(0)} inputs/s | ${t.floor.inputsPerSecond.toFixed(0)} inputs/s | ${((100 * t.iris.rps) / t.floor.rps).toFixed(0)}% of floor | |`,
    ),
    `| Embeddings latency p50 (${what}) | ${ms(emb.latency.iris.p50)} ms | ${ms(emb.latency.floor.p50)} ms | ${signedMs(emb.latency.iris.p50 - emb.latency.floor.p50)} ms | |`,
  ];
}
