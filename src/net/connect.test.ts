import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundRequest } from './http.js';
import { createOutboundPolicy, type ResolveAll } from './policy.js';
import { checkedSocket } from './socket.js';

const portOf = (server: HttpServer | Server) => (server.address() as AddressInfo).port;

// A rebinding resolver: loopback (allowed below) the first time, then a private address.
function rebinding(): ResolveAll & { calls: number } {
  const resolve = Object.assign(
    async () => {
      resolve.calls++;
      return [{ address: resolve.calls === 1 ? '127.0.0.1' : '10.9.9.9', family: 4 }];
    },
    { calls: 0 },
  );
  return resolve;
}

describe('connecting through the policy', () => {
  let api: HttpServer;
  let hits: { host?: string; url?: string }[];
  let tcp: Server;
  let accepted = 0;

  beforeAll(async () => {
    hits = [];
    api = createHttpServer((request, response) => {
      hits.push({ host: request.headers.host, url: request.url });
      if (request.url === '/moved') {
        response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
        return void response.end();
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('[1]');
    });
    tcp = createServer((socket) => {
      accepted++;
      socket.end('hello');
    });
    await Promise.all([
      new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve)),
      new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve)),
    ]);
  });
  afterAll(() => {
    api.close();
    tcp.close();
  });

  it('sends an HTTP request to the address it checked, keeping the name in Host', async () => {
    const resolveAll = rebinding();
    const policy = createOutboundPolicy({ allow: ['127.0.0.1'], resolveAll });
    const url = new URL(`http://rebind.example:${portOf(api)}/data?x=1`);
    const response = await outboundRequest(policy, url);
    response.resume();
    expect(response.statusCode).toBe(200);
    // One resolution, checked and used: no second lookup for a rebinding answer to change.
    expect(resolveAll.calls).toBe(1);
    expect(hits.at(-1)).toEqual({ host: `rebind.example:${portOf(api)}`, url: '/data?x=1' });
  });

  it('refuses before connecting, and hands a redirect back instead of following it', async () => {
    const before = hits.length;
    const strict = createOutboundPolicy();
    await expect(outboundRequest(strict, new URL(`http://127.0.0.1:${portOf(api)}/`))).rejects.toMatchObject({
      code: 'EOUTBOUND',
    });
    await expect(outboundRequest(strict, new URL(`http://0x7f000001:${portOf(api)}/`))).rejects.toMatchObject(
      {
        code: 'EOUTBOUND',
      },
    );
    expect(hits.length).toBe(before);
    const allowed = createOutboundPolicy({ allow: [`127.0.0.1:${portOf(api)}`] });
    const moved = await outboundRequest(allowed, new URL(`http://127.0.0.1:${portOf(api)}/moved`));
    moved.resume();
    expect(moved.statusCode).toBe(302);
    expect(hits.length).toBe(before + 1);
  });

  it('gives drivers a socket that connects to the checked address or fails as a refused connection would', async () => {
    const resolveAll = rebinding();
    const allowed = createOutboundPolicy({ allow: [`127.0.0.1:${portOf(tcp)}`], resolveAll });
    const socket = checkedSocket(allowed).connect(portOf(tcp), 'rebind.example');
    const [data] = await once(socket, 'data');
    expect(String(data)).toBe('hello');
    expect(socket.remoteAddress).toBe('127.0.0.1');
    socket.destroy();
    expect(accepted).toBe(1);

    const refused = checkedSocket(createOutboundPolicy()).connect(portOf(tcp), 'localhost');
    const [error] = await once(refused, 'error');
    expect(error).toMatchObject({ code: 'EOUTBOUND', reason: expect.stringMatching(/loopback/) });
    expect(accepted).toBe(1);
  });
});
