/** How the chat prepares an image in the browser before uploading it. */
export const IMAGE_PREP_DEFAULTS = {
  /** Long edge of what is sent, in px: Gemini tiles larger images down anyway, so more pixels only cost upload time. */
  maxEdge: 2048,
  /** JPEG/WebP quality of a re-encode: no visible loss on photos at roughly a third of a phone camera's bytes. */
  quality: 0.85,
  /** The server's upload limit (MAX_UPLOAD_BYTES); the caller passes the configured value. */
  maxUploadBytes: 4 * 1024 * 1024,
  /**
   * A JPEG or WebP at most this big, within maxEdge and without metadata, is sent as it is: re-encoding would cost
   * quality for a saving nobody notices.
   */
  smallBytes: 300 * 1024,
  /**
   * An optional re-encode (nothing to strip, no resize) must save at least this fraction of the bytes to be used;
   * below that the original's quality is worth more than the bytes.
   */
  minSavings: 0.1,
  /** Metadata segments sit at the start of the file; this much of it is read to find them. */
  headBytes: 64 * 1024,
} as const;
