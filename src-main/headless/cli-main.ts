/**
 * The `tradeport` CLI: parse argv, turn it into one API call, run it against the engine that already
 * owns the data dir (over its bridge) or against an engine started for this one command.
 */
import path from 'node:path';
import type { Engine, EngineConfig } from '../engine/engine';
import type { CallContext } from '../engine/api/engine-api';
import { fail, INPUT_ERROR_CODES, MAX_MESSAGE_BYTES, TradeportError, type ApiError, type Result } from '../engine/api/errors';
import { resolveDataDir } from '../engine/data-dir';
import type { SecretStore } from '../engine/ports/secrets';
import { helpText, parseArgv, toApiCall, UsageError, type ApiCall, type ParsedArgs, type SecretOptions } from './argv';
import { BridgeUnreachableError, callOverBridge } from './bridge-client';
import { acquireEngineLock, EngineLockedError, liveMarker, readTokenFile, type EngineLock } from './engine-lock';
import { formatResult } from './format';
import { secretStoreError, type SecretStoreRequest } from './secret-store-choice';
import { RemoteBindRefusedError, startHeadlessServer, type HeadlessServer } from './server';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INVALID_INPUT = 2;

export interface CliIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  /** Secret values come from here, never from argv. */
  readonly readSecret: (prompt: string) => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
}

export interface CliDeps {
  readonly io: CliIo;
  readonly createEngine: (config: EngineConfig) => Promise<Engine>;
  /** The secret store for an engine this process runs: keychain or encrypted keystore (secret-store-choice.ts). */
  readonly secrets: (req: SecretStoreRequest) => SecretStore | Promise<SecretStore>;
  /** The built renderer for `serve`. */
  readonly staticDir: string;
  readonly version: string;
  /** `serve` resolves this to stop (the real CLI wires SIGINT/SIGTERM). */
  readonly waitForShutdown: () => Promise<void>;
  /** How long an in-process command waits for another short-lived CLI engine to let go of the data dir. */
  readonly lockWaitMs?: number;
}

const CLI_CTX: CallContext = { actor: 'cli', transport: 'cli' };

export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { io } = deps;
  // Until argv is parsed, honour --json if it is anywhere on the line so errors stay machine-readable.
  let json = argv.includes('--json');
  try {
    const parsed = parseArgv(argv);
    json = parsed.json;
    if (parsed.help || !parsed.command) {
      io.stdout.write(helpText(parsed.command?.spec));
      return EXIT_OK;
    }
    const dataDir = resolveDataDir(parsed.dataDir, io.env);
    const secretOptions = parsed.secretOptions;
    if (parsed.command.spec.name === 'serve') return await serve(parsed.command, dataDir, secretOptions, json, deps);

    let call = toApiCall(parsed.command);
    if (call.command === 'secret.set') {
      if (secretOptions.passphraseFd === 0)
        throw new UsageError('secret set reads the secret from stdin, so the keystore passphrase cannot come from fd 0: use another --passphrase-fd or --passphrase-file.');
      const value = await io.readSecret(`Value for ${String(call.input.venue)} ${String(call.input.field)} (input hidden): `);
      if (value === '') throw new UsageError('No secret value on stdin. Pipe it in or type it at the prompt; it is never taken from the command line.');
      call = { command: call.command, input: { ...call.input, value } };
    }
    const bytes = Buffer.byteLength(JSON.stringify(call), 'utf8');
    const result = bytes > MAX_MESSAGE_BYTES ? fail('message_too_large', `The command is ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes.`) : await execute(call, dataDir, secretOptions, deps);
    return report(call.command, result, json, io);
  } catch (e) {
    if (e instanceof UsageError) return printError({ code: 'invalid_input', message: e.message }, json, io);
    if (e instanceof EngineLockedError) return printError({ code: 'engine_busy', message: e.message }, json, io);
    if (e instanceof RemoteBindRefusedError) return printError({ code: 'invalid_input', message: e.message }, json, io);
    const secretError = secretStoreError(e);
    if (secretError) return printError(secretError, json, io);
    // The engine refused to start for a reason it explains (a damaged journal, a full disk…).
    if (e instanceof TradeportError) return printError(e.toApiError(), json, io);
    return printError({ code: 'internal', message: describe(e) }, json, io);
  }
}

async function execute(call: ApiCall, dataDir: string, secretOptions: SecretOptions, deps: CliDeps): Promise<Result<unknown>> {
  const marker = liveMarker(dataDir);
  if (marker) return viaBridge(call, dataDir, marker.port, marker.host ?? '127.0.0.1', marker.pid);

  let lock: EngineLock;
  try {
    lock = await acquireWithWait(dataDir, deps.lockWaitMs ?? 5_000);
  } catch (e) {
    // The owner may have become a serving engine while we waited.
    const m = e instanceof EngineLockedError ? liveMarker(dataDir) : undefined;
    if (m) return viaBridge(call, dataDir, m.port, m.host ?? '127.0.0.1', m.pid);
    throw e;
  }
  try {
    const secrets = await deps.secrets({ ...secretOptions, dataDir, purpose: 'command' });
    const engine = await deps.createEngine({ dataDir, secrets, version: deps.version });
    try {
      return await engine.callRaw(call.command, call.input, CLI_CTX);
    } finally {
      await engine.close();
    }
  } finally {
    lock.release();
  }
}

async function viaBridge(call: ApiCall, dataDir: string, port: number, host: string, pid: number): Promise<Result<unknown>> {
  const token = readTokenFile(dataDir);
  if (!token) return fail('unauthorized', `A Tradeport engine (pid ${pid}) is running on ${dataDir} but its bridge-token file is missing. Restart it.`);
  try {
    return await callOverBridge({ host, port, token, command: call.command, input: call.input });
  } catch (e) {
    if (e instanceof BridgeUnreachableError) {
      return fail('engine_busy', `A Tradeport engine (pid ${pid}) owns ${dataDir} but its bridge did not answer: ${e.message}`);
    }
    throw e;
  }
}

async function acquireWithWait(dataDir: string, waitMs: number): Promise<EngineLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return acquireEngineLock(dataDir);
    } catch (e) {
      if (!(e instanceof EngineLockedError) || Date.now() >= deadline || liveMarker(dataDir)) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function serve(args: ParsedArgs, dataDir: string, secretOptions: SecretOptions, json: boolean, deps: CliDeps): Promise<number> {
  const { io } = deps;
  const portFlag = args.flags.port;
  let port: number | undefined;
  if (typeof portFlag === 'string') {
    port = Number(portFlag);
    if (!/^\d+$/.test(portFlag) || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535; got '${portFlag}'.`);
  }
  const host = typeof args.flags.host === 'string' ? args.flags.host : '127.0.0.1';
  const allowRemote = args.flags['allow-remote'] === true;

  const lock = acquireEngineLock(dataDir);
  let engine: Engine | undefined;
  let server: HeadlessServer | undefined;
  try {
    // Asked once, here: a wrong passphrase stops `serve` before anything listens.
    const secrets = await deps.secrets({ ...secretOptions, dataDir, purpose: 'serve' });
    engine = await deps.createEngine({ dataDir, secrets, version: deps.version });
    server = await startHeadlessServer({ engine, port, host, allowRemote, staticDir: deps.staticDir, dataDir, version: deps.version });
  } catch (e) {
    await server?.close();
    await engine?.close();
    lock.release();
    if (e instanceof Error && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      return printError({ code: 'invalid_input', message: `Port ${port ?? 7420} is in use. Pick another with --port.` }, json, io);
    }
    throw e;
  }
  if (json) {
    io.stdout.write(JSON.stringify({ ok: true, value: { url: server.openUrl, host: server.host, port: server.port, tokenFile: server.tokenFile, dataDir } }) + '\n');
  } else {
    io.stdout.write(`Tradeport engine serving ${dataDir}\n`);
    io.stdout.write(`Open ${server.openUrl}\n`);
    io.stdout.write(`(the token is also in ${server.tokenFile ?? path.join(dataDir, 'bridge-token')}; Ctrl+C stops)\n`);
  }
  if (allowRemote && !isLoopbackBind(host)) io.stderr.write(`warning: the bridge listens on ${host}; anyone who can reach it and has the token can trade.\n`);
  await deps.waitForShutdown();
  await server.close();
  await engine.close();
  lock.release();
  return EXIT_OK;
}

function isLoopbackBind(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

function report(command: string, result: Result<unknown>, json: boolean, io: CliIo): number {
  if (!result.ok) return printError(result.error, json, io);
  io.stdout.write(json ? JSON.stringify(result) + '\n' : formatResult(command, result.value));
  // A preview that says "not allowed" answered the question, but a script must not read it as a go.
  if (command === 'order.preview' && (result.value as { allowed?: unknown } | null)?.allowed === false) return EXIT_FAILURE;
  return EXIT_OK;
}

export function exitCodeFor(error: Pick<ApiError, 'code'>): number {
  return INPUT_ERROR_CODES.has(error.code) ? EXIT_INVALID_INPUT : EXIT_FAILURE;
}

function printError(error: Pick<ApiError, 'code' | 'message'>, json: boolean, io: CliIo): number {
  if (json) io.stdout.write(JSON.stringify({ ok: false, error: { code: error.code, message: error.message } }) + '\n');
  else io.stderr.write(`error [${error.code}]: ${error.message}\n`);
  return exitCodeFor(error);
}

function describe(e: unknown): string {
  // A message, never a stack trace; engine errors are already written for traders.
  return e instanceof Error && e.message ? e.message : 'Unexpected failure.';
}
