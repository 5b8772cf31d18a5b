import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string, exts: RegExp): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, exts));
    else if (exts.test(e.name)) out.push(p);
  }
  return out;
}

const root = path.resolve(__dirname, '../..');
const importsOf = (src: string) => [...src.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('layering', () => {
  it('the engine never imports electron, React or renderer code', () => {
    const offenders: string[] = [];
    for (const f of files(path.join(root, 'src-main/engine'), /\.tsx?$/)) {
      for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) {
        if (spec === 'electron' || spec.startsWith('electron/') || spec === 'react' || spec.startsWith('react-') || spec.includes('src-renderer') || spec.includes('/app/'))
          offenders.push(`${path.relative(root, f)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
  it('the renderer never imports Node or Electron modules', () => {
    const banned = /^(node:|fs$|path$|child_process$|net$|electron$|better-sqlite3$|keytar$|ws$)/;
    const offenders: string[] = [];
    for (const f of files(path.join(root, 'src-renderer/src'), /\.tsx?$/)) {
      for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) if (banned.test(spec)) offenders.push(`${path.relative(root, f)} → ${spec}`);
    }
    expect(offenders).toEqual([]);
  });
  it('the contract shared with the renderer imports no Node code', () => {
    const offenders: string[] = [];
    for (const dir of ['src-main/engine/api', 'src-main/engine/domain']) {
      for (const f of files(path.join(root, dir), /\.ts$/)) {
        for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) if (/^(node:|fs$|path$|better-sqlite3$|keytar$|ws$)/.test(spec)) offenders.push(`${path.relative(root, f)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

/**
 * The engine's layers, lowest first. A file imports only from its own layer or a lower one, so a
 * venue can be copied without dragging the OMS along and the contract (api/) the renderer shares
 * never pulls in risk or venue code. Root files (engine.ts, dispatcher.ts, …) are the top.
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['domain'],
  ['api', 'ports'],
  ['net', 'market', 'store', 'sim', 'guards'],
  ['venues'],
  ['risk', 'portfolio'],
  ['oms'],
  ['commands', 'strategies'],
  ['(root)'],
];
const ENGINE = path.join(root, 'src-main/engine');
/** The one allowed upward edge: domain's validation names the error codes of the contract. */
const ALLOWED_UP = new Set(['domain → api/errors']);

function areaOf(file: string): string {
  const rel = path.relative(ENGINE, file).split(path.sep);
  return rel.length === 1 ? '(root)' : rel[0]!;
}
function rankOf(area: string): number {
  const i = LAYERS.findIndex((l) => l.includes(area));
  if (i < 0) throw new Error(`engine folder "${area}" is in no layer: add it to LAYERS in architecture.test.ts`);
  return i;
}
/** The engine file an import names, or undefined for a package. */
function target(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return path.resolve(path.dirname(from), spec);
}

describe('engine layers', () => {
  const edges: Array<{ from: string; to: string; spec: string }> = [];
  for (const f of files(ENGINE, /\.ts$/)) {
    for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) {
      const t = target(f, spec);
      if (t && t.startsWith(ENGINE + path.sep)) edges.push({ from: f, to: t, spec });
    }
  }
  const rel = (p: string) => path.relative(ENGINE, p);

  it('every import goes to the same layer or a lower one', () => {
    const offenders = edges
      .filter((e) => rankOf(areaOf(e.to)) > rankOf(areaOf(e.from)))
      .filter((e) => !ALLOWED_UP.has(`${areaOf(e.from)} → ${rel(e.to).replace(/\.ts$/, '')}`))
      .map((e) => `${rel(e.from)} → ${e.spec}`);
    expect(offenders).toEqual([]);
  });

  it('the contract (api/) imports only domain and itself', () => {
    const offenders = edges.filter((e) => areaOf(e.from) === 'api' && !['api', 'domain'].includes(areaOf(e.to))).map((e) => `${rel(e.from)} → ${e.spec}`);
    expect(offenders).toEqual([]);
  });

  it('a venue never imports a sibling venue', () => {
    const venueOf = (p: string) => {
      const parts = rel(p).split(path.sep);
      return parts[0] === 'venues' && parts.length > 2 ? parts[1] : undefined;
    };
    const offenders = edges.filter((e) => venueOf(e.from) && venueOf(e.to) && venueOf(e.from) !== venueOf(e.to)).map((e) => `${rel(e.from)} → ${e.spec}`);
    expect(offenders).toEqual([]);
  });

  it('the layer rules catch a violation (the checker itself is live)', () => {
    expect(rankOf('venues')).toBeLessThan(rankOf('oms'));
    expect(rankOf('api')).toBeLessThan(rankOf('risk'));
    expect(areaOf(path.join(ENGINE, 'venues/ibkr/ibkr-connector.ts'))).toBe('venues');
    expect(areaOf(path.join(ENGINE, 'engine.ts'))).toBe('(root)');
    expect(() => rankOf('nowhere')).toThrow(/in no layer/);
  });
});

/**
 * Venue knowledge lives in venues/<v>/ (limits, error mappers, stream parsers, tables), so five
 * venues can be built at once without editing a shared file. Comments may cite a venue as an
 * example; code may not name one.
 */
describe('venue-owned parts', () => {
  const SHARED = ['src-main/engine/net', 'src-main/engine/market', 'src-main/engine/store', 'src-main/engine/oms', 'src-main/engine/risk', 'src-main/engine/api', 'src-renderer/src'];
  const VENUE_NAME = /ibkr|binance|kraken|coinbase|alpaca|tastytrade|\btws\b/i;
  /** A venue's own tables (paper_orders, ibkr_contracts) belong to its migrations. */
  const VENUE_TABLE = /\b(paper|ibkr)_[a-z]/;
  const code = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const namesAVenue = (src: string) => VENUE_NAME.test(code(src)) || VENUE_TABLE.test(code(src));

  it('no shared folder names a venue (net, market, store, oms, risk, api, the renderer)', () => {
    const offenders = SHARED.flatMap((dir) => files(path.join(root, dir), /\.tsx?$/))
      .filter((f) => namesAVenue(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('the check sees a venue in code and ignores one in a comment', () => {
    expect(namesAVenue("if (headers === 'binance') {}")).toBe(true);
    expect(namesAVenue('import { IbkrConnector } from "../venues/ibkr";')).toBe(true);
    expect(namesAVenue('db.prepare("SELECT * FROM paper_orders")')).toBe(true);
    expect(namesAVenue('return PAPER_CAPABILITIES;')).toBe(false);
    expect(namesAVenue('// Kraken-style counter\nconst decay = 1; /* Binance weight */')).toBe(false);
    expect(namesAVenue("const url = 'https://example.com'; // tastytrade")).toBe(false);
  });

  it('every venue connector is a thin front of at most 400 lines', () => {
    const connectors = files(path.join(ENGINE, 'venues'), /-connector\.ts$/);
    expect(connectors.length).toBeGreaterThan(0);
    const long = connectors.map((f) => ({ f: path.relative(root, f), lines: fs.readFileSync(f, 'utf8').trimEnd().split('\n').length })).filter((c) => c.lines > 400);
    expect(long.map((c) => `${c.f} (${c.lines} lines)`)).toEqual([]);
  });
});
