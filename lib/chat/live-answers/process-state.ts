/**
 * State this process keeps for running answers, on globalThis: Next bundles each route on its own, and the POST
 * that starts an answer, the GET that follows it and the DELETE that stops it must see the same runs.
 */
export function processState<T>(name: string, create: () => T): T {
  const key = Symbol.for(`iris.live-answers.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  store[key] ??= create();
  return store[key];
}
