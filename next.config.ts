import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The OpenAI SDKs call `${baseURL}/chat/completions`, so `/v1` must reach the route files under `/api/v1`.
  async rewrites() {
    return [{ source: '/v1/:path*', destination: '/api/v1/:path*' }];
  },
  // A parent folder may hold another lockfile; pin the root so Turbopack and file tracing stay inside the project.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
  poweredByHeader: false,
  // `npm run demo` runs next dev to show Iris, not to develop it: the dev-tools badge would only confuse.
  ...(['1', 'true'].includes(process.env.IRIS_OFFLINE_DEMO ?? '') ? { devIndicators: false as const } : {}),
  // The proxy (proxy.ts) only sees requests with small bodies; Next buffers what it sees, so keep that small too.
  experimental: { proxyClientMaxBodySize: '1mb' },
  // Lets a second build (a parallel test run, a benchmark of another branch) live beside the main one.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // PGlite loads its WebAssembly and extension files from beside itself, which bundling would break.
  serverExternalPackages: ['@electric-sql/pglite'],
  // Migrations are read from disk at start-up, so they must travel with the server build.
  outputFileTracingIncludes: { '/**': ['./lib/db/migrations/**/*'] },
};

export default nextConfig;
