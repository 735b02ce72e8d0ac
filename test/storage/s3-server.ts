import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { s3Client, type S3Settings } from '../../src/storage/s3.js';
import { tempDir } from '../helpers.js';

/** How the fault proxy answers the next requests: pass them on, or fail them as S3 does. */
export interface ProxyControl {
  /** Requests seen since the last reset. */
  seen: number;
  /** Fail this many of the next requests. */
  failNext: number;
  /** Besides: fail every `failEvery`-th request (0: none), as a throttled store does under load. */
  failEvery: number;
  /** Requests failed so far. */
  failed: number;
  failStatus: number;
  failCode: string;
  /** Answer 403 AccessDenied to every request for this bucket. */
  denyBucket: string;
  /** Answer 403 AccessDenied to the requests this picks out (a policy that allows some reads and not others). */
  deny?: (req: IncomingMessage) => boolean;
  /** Bytes of the answers passed on (bodies), since the last reset: what clients downloaded. */
  served: number;
}

export interface S3Server {
  /** s3rver's own address. */
  endpoint: string;
  /** The fault proxy's address, in front of it. */
  proxied: string;
  proxy: ProxyControl;
  credentials: { accessKeyId: string; secretAccessKey: string };
  settings(over?: Partial<S3Settings>): S3Settings;
  close(): Promise<void>;
}

/**
 * A real S3-protocol server on 127.0.0.1 (s3rver: the S3 REST API over files), never a mocked
 * client, with the buckets given made. Faults a real store gives (throttling, server errors,
 * denied access) come from a small HTTP proxy in front of it that answers some requests itself,
 * with S3's error document.
 */
export async function startS3(buckets: string[]): Promise<S3Server> {
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: tempDir('s3rver-') });
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const settings = (over: Partial<S3Settings> = {}): S3Settings => ({ endpoint, pathStyle: true, region: 'us-east-1', credentials, maxAttempts: 4, ...over });
  for (const Bucket of buckets) await s3Client(settings()).send(new CreateBucketCommand({ Bucket }));
  const proxy: ProxyControl = { seen: 0, failNext: 0, failEvery: 0, failed: 0, failStatus: 503, failCode: 'SlowDown', denyBucket: '', served: 0 };
  const proxyServer: Server = createServer((req, res) => {
    proxy.seen++;
    const denied = (proxy.denyBucket !== '' && req.url!.startsWith(`/${proxy.denyBucket}`)) || (proxy.deny?.(req) ?? false);
    const injected = proxy.failNext > 0 || (proxy.failEvery > 0 && proxy.seen % proxy.failEvery === 0);
    if (denied || injected) {
      if (!denied && proxy.failNext > 0) proxy.failNext--;
      if (!denied) proxy.failed++;
      const [status, code] = denied ? [403, 'AccessDenied'] : [proxy.failStatus, proxy.failCode];
      req.resume();
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected by the test proxy</Message></Error>`);
      return;
    }
    const upstream = request(`${endpoint}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode!, r.headers);
      r.on('data', (chunk: Buffer) => (proxy.served += chunk.length));
      r.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
  const proxied = `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}`;
  return {
    endpoint,
    proxied,
    proxy,
    credentials,
    settings,
    async close() {
      await new Promise((resolve) => proxyServer.close(resolve));
      await server.close();
    },
  };
}
