/**
 * The control API every emulator serves under `/__control/` (JSON in, JSON out), so tests and a
 * person with curl drive any venue the same way:
 *   GET  /__control            the commands and fault kinds this emulator knows
 *   GET  /__control/state      the venue's state and the armed faults
 *   POST /__control/fault      {kind, count?, status?, retryAfterS?, ms?, path?, method?}
 *   POST /__control/reset      clear every armed fault
 *   POST /__control/<command>  a venue command (fill, reject-next, …) with a JSON body
 */
import type http from 'node:http';

export type ControlBody = Record<string, unknown>;
export type ControlCommands = Record<string, (body: ControlBody) => unknown>;

export interface ControlSpec {
  readonly name: string;
  readonly commands: ControlCommands;
  state(): unknown;
  /** Arms (or runs) a fault; throws with a readable message when the venue cannot express it. */
  fault(body: ControlBody): unknown;
  reset(): void;
  readonly faultKinds: readonly string[];
}

export const CONTROL_PREFIX = '/__control';

/** Serves one control request; false when the path is not under `/__control`. */
export function serveControl(spec: ControlSpec, req: http.IncomingMessage, res: http.ServerResponse, path: string): boolean {
  if (path !== CONTROL_PREFIX && !path.startsWith(`${CONTROL_PREFIX}/`)) return false;
  const name = path.slice(CONTROL_PREFIX.length).replace(/^\/+/, '');
  const reply = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { ok: true }));
  };
  if (req.method === 'GET' && name === '') {
    reply(200, { emulator: spec.name, commands: ['state', 'fault', 'reset', ...Object.keys(spec.commands)], faultKinds: spec.faultKinds });
    return true;
  }
  if (req.method === 'GET' && name === 'state') {
    reply(200, spec.state());
    return true;
  }
  const run: ((b: ControlBody) => unknown) | undefined = name === 'fault' ? (b) => spec.fault(b) : name === 'reset' ? () => spec.reset() : spec.commands[name];
  if (req.method !== 'POST' || !run) {
    reply(404, { ok: false, error: `unknown control command ${req.method} ${path}`, commands: ['state', 'fault', 'reset', ...Object.keys(spec.commands)] });
    return true;
  }
  let raw = '';
  req.on('data', (c: Buffer) => {
    raw += c.toString('utf8');
  });
  req.on('end', () => {
    Promise.resolve()
      .then(() => run(raw.trim() === '' ? {} : (JSON.parse(raw) as ControlBody)))
      .then((v) => reply(200, v ?? { ok: true }))
      .catch((e: unknown) => reply(400, { ok: false, error: e instanceof Error ? e.message : String(e) }));
  });
  return true;
}
