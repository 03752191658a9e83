import http from 'node:http';

export interface UnendedPostAnswer {
  status: number;
  body: string;
}

/**
 * POSTs `bytes` and never ends the body: a server that waited for the whole body would never answer, and the test
 * would time out. Nothing is written after `bytes`, because a server that refuses a body early closes the connection
 * with the rest unread, and a client still writing then gets EPIPE and loses the answer (a CI flake with fetch).
 */
export function postWithoutEnding(
  url: string,
  options: { headers: Record<string, string>; bytes: Uint8Array },
): Promise<UnendedPostAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(url, { method: 'POST', headers: options.headers });
    request.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      let received = 0;
      const expected = Number(response.headers['content-length'] ?? Number.NaN);
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.byteLength;
        // The server may reset the connection right after its answer; a complete body is all that matters.
        if (received >= expected) settle();
      });
      response.on('end', settle);
      response.on('error', () => {});
      response.on('close', () => {
        if (!settled) reject(new Error(`the connection closed after ${received} of ${expected} bytes of the answer`));
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.bytes.byteLength > 0) request.write(options.bytes);
    else request.flushHeaders();
  });
}
