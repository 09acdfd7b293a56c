import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in OTLP/HTTP collector on loopback: it takes every export and keeps only counts. */
export interface OtlpSink {
  /** The traces endpoint (`…/v1/traces`) for OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. */
  url: string;
  exports(): { requests: number; bytes: number };
  stop(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  let requests = 0;
  let bytes = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      requests++;
      // An empty ExportTraceServiceResponse: every span accepted.
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    exports: () => ({ requests, bytes }),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
