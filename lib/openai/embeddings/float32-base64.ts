/**
 * A vector as OpenAI's `encoding_format: "base64"` carries it: float32, little-endian, base64 (what the `openai`
 * clients ask for by default and decode with a Float32Array). Written with explicit little-endian stores, so the
 * bytes do not depend on the server's own byte order.
 */
export function float32Base64(values: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(values.length * Float32Array.BYTES_PER_ELEMENT);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i] as number, i * Float32Array.BYTES_PER_ELEMENT);
  return bytes.toString('base64');
}
