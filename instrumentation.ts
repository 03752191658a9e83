/** Next calls this once per server start; the checks live in a Node-only module so the Edge bundle never sees them. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { runStartupChecks } = await import('@/lib/startup-checks');
    runStartupChecks();
    // Graceful shutdown on SIGTERM under `next start` (an own server calls lib/lifecycle/shutdown.ts itself).
    const [{ getConfig }, { takeOverSignals }] = await Promise.all([
      import('@/lib/config'),
      import('@/lib/lifecycle/shutdown'),
    ]);
    takeOverSignals(getConfig().shutdownGraceMs);
  }
}
