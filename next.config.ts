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
};

export default nextConfig;
