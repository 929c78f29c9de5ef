// Issue 8, "faults": an oversized body gets its 413 at every client. The server reads the body to
// its end (dropping it) before answering, so the client's TCP stack never sees a reset while it
// is still sending; a body beyond the drain limit is answered at once.
import { connect } from 'node:net';
import { startTestServer, type TestServer } from '../helpers/server';

/** Sends a body of `size` bytes over a raw socket in 64 KB writes and returns what came back (or the socket error). */
function sendRaw(url: string, size: number, declared = size): Promise<{ response: string; error: string | null }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let response = '';
    let error: string | null = null;
    socket.on('data', (chunk) => (response += chunk.toString('utf8')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ response, error }));
    socket.on('connect', async () => {
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let sent = 0; sent < size && !socket.destroyed; sent += chunk.length) {
        if (!socket.write(chunk.subarray(0, Math.min(chunk.length, size - sent))))
          await new Promise((r) => socket.once('drain', r));
      }
    });
  });
}

describe('oversized bodies', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('a 3 MB body is answered 413 PAYLOAD_TOO_LARGE, never a reset (five times over)', async () => {
    for (let i = 0; i < 5; i++) {
      const { response, error } = await sendRaw(server.url, 3 * 1024 * 1024);
      expect({ error, status: response.split('\r\n')[0] }).toEqual({
        error: null,
        status: 'HTTP/1.1 413 Payload Too Large',
      });
      expect(response).toContain('"code":"PAYLOAD_TOO_LARGE"');
    }
  });

  it('a body declared far beyond the drain limit is refused at once, without reading it', async () => {
    const { response } = await sendRaw(server.url, 0, 1024 * 1024 * 1024);
    expect(response.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
  });
});
