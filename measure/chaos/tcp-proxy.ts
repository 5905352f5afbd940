/**
 * A TCP proxy between the app and Postgres that can be cut: while down it drops every open
 * connection and refuses new ones, as a network partition or a restarting database would.
 * The machine's shared Postgres is never touched.
 */
import net from 'node:net';

export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private up = true;
  connections = 0;
  dropped = 0;

  constructor(
    private readonly target: { host: string; port: number },
    readonly port = 0,
  ) {}

  async start(): Promise<number> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  private accept(client: net.Socket): void {
    if (!this.up) {
      client.destroy();
      return;
    }
    this.connections += 1;
    const upstream = net.connect(this.target);
    const pair = [client, upstream];
    for (const s of pair) {
      this.sockets.add(s);
      s.on('error', () => pair.forEach((x) => x.destroy()));
      s.on('close', () => {
        this.sockets.delete(s);
        pair.forEach((x) => x.destroy());
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Cuts every connection and refuses new ones until up(). */
  down(): void {
    this.up = false;
    this.dropped += this.sockets.size / 2;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.up = true;
  }

  async stop(): Promise<void> {
    this.down();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
