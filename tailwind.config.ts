import type { Config } from 'tailwindcss';

export default {
  content: ['./app/**/*.{ts,tsx}', './components/**/*.{ts,tsx}'],
  theme: {
    extend: {
      colors: {
        iris: {
          50: '#f4f3ff',
          100: '#ebe9fe',
          500: '#7c6cf2',
          600: '#6a55e6',
          700: '#5a43cc',
          900: '#2e2472',
        },
      },
    },
  },
} satisfies Config;
