/**
 * A small stand-alone emulator for the stream tests: the kit's EmulatorServer hosting the account
 * streamer at `/streamer` and DXLink at `/dxlink`, plus the two REST calls the official SDK makes
 * before streaming (`POST /oauth/token`, `GET /api-quote-tokens`). tt-core's full emulator serves the
 * same hubs; this one exists so the stream tests never wait for it.
 */
import { EmulatorServer } from '../../../emulators/kit';
import { AccountStreamerHub } from '../../../emulators/tastytrade/account-streamer';
import { DxlinkHub, type DxlinkQuote } from '../../../emulators/tastytrade/dxlink';

export interface StreamsHarness {
  readonly server: EmulatorServer;
  readonly streamer: AccountStreamerHub;
  readonly dxlink: DxlinkHub;
  readonly accessTokens: Set<string>;
  readonly quoteTokens: Set<string>;
  readonly quotes: Map<string, DxlinkQuote>;
  /** Quote tokens issued by GET /api-quote-tokens, in order. */
  readonly issued: string[];
  /** Quote tokens DXLink was asked to validate (AUTH), in order. */
  readonly presented: string[];
  streamerUrl(): string;
  dxlinkUrl(): string;
  stop(): Promise<void>;
}

export async function startStreamsHarness(opts: { heartbeatTimeoutMs?: number } = {}): Promise<StreamsHarness> {
  const accessTokens = new Set<string>(['access-1']);
  const quoteTokens = new Set<string>();
  const quotes = new Map<string, DxlinkQuote>();
  const issued: string[] = [];
  const presented: string[] = [];
  const streamer = new AccountStreamerHub({
    validateToken: (t) => accessTokens.has(t.replace(/^Bearer /, '')),
    ...(opts.heartbeatTimeoutMs !== undefined ? { heartbeatTimeoutMs: opts.heartbeatTimeoutMs } : {}),
  });
  const dxlink = new DxlinkHub({ validateToken: (t) => (presented.push(t), quoteTokens.has(t)), quote: (s) => quotes.get(s) });
  const server = new EmulatorServer({ name: 'tastytrade-streams', streamPath: '/streamer', streamPaths: ['/dxlink'] });
  server.on('streamConnection', (ws, req) => {
    if (new URL(req.url ?? '/', 'http://x').pathname === '/dxlink') dxlink.attach(ws);
    else streamer.attach(ws);
  });
  let n = 0;
  server.route('POST', '/oauth/token', () => ({ status: 200, body: { access_token: 'access-1', token_type: 'Bearer', expires_in: 900 } }));
  server.route('GET', '/api-quote-tokens', () => {
    const token = `quote-${++n}`;
    quoteTokens.add(token);
    issued.push(token);
    return { status: 200, body: { data: { token, 'dxlink-url': `ws://127.0.0.1:${server.port}/dxlink`, level: 'api' }, context: '/api-quote-tokens' } };
  });
  server.state(() => ({ streamer: streamer.state(), dxlink: dxlink.state() }));
  await server.start();
  return {
    server,
    streamer,
    dxlink,
    accessTokens,
    quoteTokens,
    quotes,
    issued,
    presented,
    streamerUrl: () => `ws://127.0.0.1:${server.port}/streamer`,
    dxlinkUrl: () => `ws://127.0.0.1:${server.port}/dxlink`,
    stop: async () => {
      streamer.close();
      dxlink.close();
      await server.stop();
    },
  };
}
