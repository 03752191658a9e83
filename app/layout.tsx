import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { THEME_BOOT_SCRIPT } from '@/lib/client/theme';
import { NONCE_HEADER } from '@/lib/http/security-headers';
import './globals.css';

export const metadata: Metadata = {
  title: 'Iris',
  description: 'Ask Gemini about your images, from the browser or any OpenAI client.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  // The composer stays above the on-screen keyboard on phones.
  interactiveWidget: 'resizes-content',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#09090b' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The page's CSP lets only scripts with this request's nonce run (proxy.ts).
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    // data-theme is set before hydration by the boot script, so React must not complain about it.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant string of our own, needed before paint */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body className="min-h-dvh bg-canvas text-fg antialiased">{children}</body>
    </html>
  );
}
