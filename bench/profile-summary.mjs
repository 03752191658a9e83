// Summarises a V8 .cpuprofile (e.g. the server's, from BENCH_SERVER_NODE_ARGS="--cpu-prof ...") as text: where the
// CPU time went by area (Next, AI SDK, zod, undici, ...), by function (self), and by function including callees.
// Usage: npm exec -- node bench/profile-summary.mjs <file.cpuprofile> [top N]. Run it before the next `next build`:
// it maps bundled frames back to sources with the current build's source maps.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const [file, topText = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top N]');
  process.exit(2);
}
const top = Number(topText);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Turbopack bundles the app, the AI SDK, zod and most of Next into minified chunks; their source maps (next to each
// chunk in .next/) turn a chunk position back into the original file, line and name.
const maps = new Map();
function sourceMapFor(url) {
  if (!url.startsWith('file://') || !url.includes('/.next/')) return null;
  if (!maps.has(url)) {
    const path = `${fileURLToPath(url)}.map`;
    maps.set(url, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : null);
  }
  return maps.get(url);
}

/** { name, file, line } in original sources where a source map knows them. */
function resolve(frame) {
  const { url, functionName, lineNumber, columnNumber } = frame;
  const entry = sourceMapFor(url)?.findEntry(lineNumber, columnNumber);
  if (entry?.originalSource) {
    const file = decodeURIComponent(entry.originalSource)
      .replace(/^turbopack:\/\/\//, '')
      .replace(/^(\.\.\/)+/, '')
      .replace(/^\[project\]\//, '');
    return { name: entry.name ?? functionName, file, line: entry.originalLine + 1 };
  }
  return {
    name: functionName,
    file: url.replace(/^file:\/\/.*?\/(node_modules|\.next)\//, '$1/'),
    line: lineNumber + 1,
  };
}

function area(frame, file) {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.startsWith('node:internal/deps/undici') ? 'undici (Node fetch)' : 'Node core';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
  if (pkg) return pkg;
  if (/^(app|lib|components)\//.test(file)) return `iris ${file.split('/').slice(0, 2).join('/')}`;
  return file;
}

const resolved = new Map();
function frameInfo(node) {
  let d = resolved.get(node.id);
  if (!d) {
    const r = resolve(node.callFrame);
    d = {
      key: `${r.name || '(anonymous)'}  ${r.file}${r.file ? `:${r.line}` : ''}`,
      area: area(node.callFrame, r.file),
    };
    resolved.set(node.id, d);
  }
  return d;
}

const self = new Map();
const inclusive = new Map();
const areas = new Map();
let total = 0;
const add = (map, k, v) => map.set(k, (map.get(k) ?? 0) + v);

for (let i = 0; i < profile.samples.length; i++) {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000;
  const node = byId.get(profile.samples[i]);
  if (!node || dt <= 0) continue;
  total += dt;
  const d = frameInfo(node);
  add(self, d.key, dt);
  add(areas, d.area, dt);
  const seen = new Set();
  for (let id = node.id; id !== undefined; id = parent.get(id)) {
    const k = frameInfo(byId.get(id)).key;
    if (seen.has(k)) continue;
    seen.add(k);
    add(inclusive, k, dt);
  }
}

const idle = self.get('(idle)  ') ?? 0;
const busy = total - idle;
const show = (title, map, n, base) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${v.toFixed(0).padStart(8)} ms ${((100 * v) / base).toFixed(1).padStart(5)}%  ${k}`);
  }
};
console.log(`${file}: ${total.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms busy (percentages are of busy time)`);
areas.delete('(idle)');
show('By area (self time)', areas, top, busy);
self.delete('(idle)  ');
show('By function (self time)', self, top, busy);
for (const k of ['(root)  ', '(program)  ', '(idle)  ']) inclusive.delete(k);
show('By function (including callees)', inclusive, top * 2, busy);
