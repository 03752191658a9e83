import type { CodeHighlighterPlugin } from 'streamdown';

/**
 * A stand-in for @streamdown/code's shiki plugin that imports it only when the first code block asks to be
 * highlighted. Most answers about an image have no code, so they never download shiki's ~60 KB (gzipped) core;
 * grammars and themes then load one by one, as blocks need them. Until shiki arrives, blocks show as plain
 * monospace text, which is what streamdown shows while highlighting anyway.
 */

// github-dark's comment colour (#6a737d) fails WCAG contrast on the zinc-950 code background; -default passes.
const THEMES: ['github-light', 'github-dark-default'] = ['github-light', 'github-dark-default'];

let shiki: CodeHighlighterPlugin | null = null;
let loading: Promise<CodeHighlighterPlugin> | null = null;

function loadShiki(): Promise<CodeHighlighterPlugin> {
  loading ??= import('@streamdown/code').then(
    ({ createCodePlugin }) => {
      shiki = createCodePlugin({ themes: THEMES });
      return shiki;
    },
    (error: unknown) => {
      // Let the next code block try again (the chunk request may have hit a network blip).
      loading = null;
      throw error;
    },
  );
  return loading;
}

export const lazyCodeHighlighter: CodeHighlighterPlugin = {
  name: 'shiki',
  type: 'code-highlighter',
  getThemes: () => THEMES,
  getSupportedLanguages: () => shiki?.getSupportedLanguages() ?? [],
  // Unknown until shiki has loaded; it falls back to plain text for languages it lacks.
  supportsLanguage: (language) => shiki?.supportsLanguage(language) ?? true,
  highlight(options, callback) {
    if (shiki) return shiki.highlight(options, callback);
    loadShiki()
      .then((plugin) => {
        // shiki answers either now (cached tokens) or later through the callback itself.
        const result = plugin.highlight(options, callback);
        if (result) callback?.(result);
      })
      .catch(() => {
        // Highlighting is decoration: the block stays readable as plain text.
      });
    return null;
  },
};
