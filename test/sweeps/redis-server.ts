/**
 * A throwaway redis-server (Debian's `redis-server`) on a free loopback port for the queue tests: no
 * persistence, stopped by `stop()`. If redis-server is not installed, `startRedis` throws, so the test fails
 * with that message rather than being skipped (CI's .ci/run installs it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    let buf = '';
    c.on('connect', () => c.write('PING\r\n'));
    c.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) {
        c.destroy();
        resolve(buf.startsWith('+PONG'));
      }
    });
    c.on('error', () => resolve(false));
  });
}

export async function startRedis(): Promise<RedisServer> {
  const which = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0)
    throw new Error('redis-server is not installed: the sweep queue tests need it: apt-get install redis-server (.ci/run installs it)');
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    let exited = false;
    proc.on('exit', () => (exited = true));
    for (let i = 0; i < 100 && !exited; i++) {
      if (await ping(port))
        return {
          url: `redis://127.0.0.1:${port}`,
          stop: () =>
            new Promise<void>((resolve) => {
              if (exited) return resolve();
              proc.on('exit', () => resolve());
              proc.kill('SIGTERM');
            }),
        };
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
  }
  throw new Error('redis-server did not start on a free loopback port (3 tries)');
}
