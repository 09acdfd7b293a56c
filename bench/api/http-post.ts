import http from 'node:http';

/**
 * POSTs JSON over node:http on a keep-alive agent. The load generator shares the machine's two
 * cores with the server it measures, and global `fetch` (undici's WHATWG layer: streams, a
 * Request and Response per call, an AbortSignal timer) cost it about a quarter of its busy time
 * at 200 posts/s; this path does what the bench needs with a fraction of that.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface JsonAnswer {
  status: number;
  body: unknown;
}

export function postJson(
  url: string,
  headers: Record<string, string>,
  payload: string,
  timeoutMs: number,
): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            reject(new Error(`POST ${url}: HTTP ${response.statusCode} answered ${text.slice(0, 200)}`));
          }
        });
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`POST ${url}: no answer in ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(payload);
  });
}
