/**
 * A loopback TCP proxy for fault injection: clients connect to the proxy, which forwards to a
 * target. Tests cut every open connection (the client sees a reset), refuse new ones for a while,
 * or stall traffic, without touching the server.
 *
 * @module
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  /** `host:port` clients should connect to (always 127.0.0.1). */
  readonly address: string;
  /** Port on 127.0.0.1. */
  readonly port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Destroys every open connection (both sides). */
  cutAll(): void;
  /** While true, new connections are accepted and immediately destroyed. */
  setRefusing(refusing: boolean): void;
  /** While true, data is not forwarded in either direction (connections stay open). */
  setStalled(stalled: boolean): void;
  /**
   * While true, bytes from the server are discarded (requests still arrive and are applied, but
   * their answers are lost): the client sees a call that may or may not have been applied.
   */
  setDropResponses(drop: boolean): void;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 (free port) forwarding to `targetHost:targetPort`.
 *
 * @param targetPort Target port.
 * @param targetHost Target host.
 * @return The proxy.
 */
export function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let refusing = false;
  let stalled = false;
  let dropResponses = false;
  let accepted = 0;
  const paused = new Set<Socket>();
  const server: Server = createServer((client) => {
    accepted++;
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
      paused.delete(client);
      paused.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (!dropResponses && !client.destroyed) client.write(chunk);
    });
    if (stalled) {
      client.pause();
      upstream.pause();
      paused.add(client);
      paused.add(upstream);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        address: `127.0.0.1:${port}`,
        port,
        connections: () => accepted,
        cutAll() {
          for (const s of [...open]) s.resetAndDestroy();
          open.clear();
        },
        setRefusing(r) {
          refusing = r;
        },
        setDropResponses(d) {
          dropResponses = d;
        },
        setStalled(s) {
          stalled = s;
          for (const sock of open) {
            if (s) {
              sock.pause();
              paused.add(sock);
            } else {
              sock.resume();
            }
          }
          if (!s) paused.clear();
        },
        close() {
          for (const s of [...open]) s.destroy();
          open.clear();
          return new Promise<void>((r) => server.close(() => r()));
        },
      });
    });
  });
}
