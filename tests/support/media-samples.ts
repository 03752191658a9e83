/** Small but well-formed audio and PDF files for the input_audio / file part tests. */

/** A PCM WAV: RIFF/WAVE header, fmt chunk, `samples` 16-bit mono samples varied by `seed`. */
export function makeWav(samples = 400, seed = 0): Buffer {
  const data = Buffer.alloc(samples * 2);
  for (let k = 0; k < samples; k++) data.writeInt16LE(((k * 997 + seed * 131) % 20000) - 10000, k * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(16000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** MPEG-1 layer III frames (128 kbit/s, 44.1 kHz), optionally after an ID3v2.4 tag of `id3Bytes` bytes. */
export function makeMp3(frames = 3, id3Bytes = 0): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  const parts: Buffer[] = [];
  if (id3Bytes > 0) {
    const tag = Buffer.alloc(10 + id3Bytes);
    tag.write('ID3', 0, 'ascii');
    tag.set([4, 0, 0], 3);
    // The size is synchsafe: 7 bits per byte.
    tag.set([(id3Bytes >> 21) & 0x7f, (id3Bytes >> 14) & 0x7f, (id3Bytes >> 7) & 0x7f, id3Bytes & 0x7f], 6);
    parts.push(tag);
  }
  for (let k = 0; k < frames; k++) parts.push(frame);
  return Buffer.concat(parts);
}

/** A one-page PDF with `text` on it. */
export function makePdf(text = 'Iris'): Buffer {
  const stream = `BT /F1 24 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, k) => {
    offsets.push(body.length);
    body += `${k + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
