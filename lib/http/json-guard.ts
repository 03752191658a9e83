/**
 * Watches a JSON body byte by byte as it arrives and stops it the moment it becomes too costly to parse: too deep,
 * too many object keys or values, or (where a route says so) a string too long. JSON.parse itself cannot be
 * interrupted, and a 31 MB body of millions of keys costs seconds of one thread that every other request shares;
 * this scan is linear, allocates nothing, and runs a chunk at a time between other requests' work.
 *
 * It does not validate JSON (JSON.parse does that afterwards): it only needs to know what is inside a string.
 * `"` and `\` never occur inside a multi-byte UTF-8 sequence, so bytes can be scanned without decoding them.
 */

export interface JsonLimits {
  /** Most nesting of objects and arrays. */
  maxDepth: number;
  /** Most object keys in the whole body. */
  maxKeys: number;
  /** Most values (array elements and object members) in the whole body. */
  maxValues: number;
  /** Longest string, in characters (escapes count as one; a character outside the BMP as one). */
  maxStringChars?: number;
}

export type JsonLimitExceeded = 'depth' | 'keys' | 'values' | 'string';

export const DEFAULT_JSON_LIMITS: JsonLimits = {
  // Well past the depth a schema is refused at (MAX_SCHEMA_DEPTH, 64, counting its `properties` objects too), so a
  // schema too deep gets its own error naming the param; thousands of levels stop here.
  maxDepth: 256,
  maxKeys: 100_000,
  // OpenAI caps an embeddings request at 300,000 tokens, the largest legitimate array a client sends.
  maxValues: 1_000_000,
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

export class JsonGuard {
  readonly #limits: JsonLimits;
  #inString = false;
  #escaped = false;
  /** Hex digits of a \uXXXX escape still to come: part of the one character the escape stands for. */
  #hexLeft = 0;
  #stringChars = 0;
  #depth = 0;
  #keys = 0;
  #values = 0;

  constructor(limits: JsonLimits) {
    this.#limits = limits;
  }

  /** Scans the next chunk; returns which limit it passed, or undefined while the body is still within them. */
  push(chunk: Uint8Array): JsonLimitExceeded | undefined {
    const { maxDepth, maxKeys, maxValues } = this.#limits;
    const maxStringChars = this.#limits.maxStringChars ?? Number.POSITIVE_INFINITY;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (this.#inString) {
        if (this.#hexLeft > 0) {
          this.#hexLeft--;
          continue;
        }
        if (this.#escaped) {
          this.#escaped = false;
          if (byte === 0x75) this.#hexLeft = 4;
          continue;
        }
        if (byte === QUOTE) {
          this.#inString = false;
          continue;
        }
        // UTF-8 continuation bytes (10xxxxxx) belong to the character already counted.
        if ((byte & 0xc0) !== 0x80 && ++this.#stringChars > maxStringChars) return 'string';
        if (byte === BACKSLASH) this.#escaped = true;
        continue;
      }
      switch (byte) {
        case QUOTE:
          this.#inString = true;
          this.#stringChars = 0;
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          if (++this.#depth > maxDepth) return 'depth';
          if (++this.#values > maxValues) return 'values';
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          this.#depth--;
          break;
        case COLON:
          if (++this.#keys > maxKeys) return 'keys';
          break;
        case COMMA:
          if (++this.#values > maxValues) return 'values';
          break;
      }
    }
    return undefined;
  }
}
