/**
 * Where the keystore passphrase comes from: an open file descriptor (`--passphrase-fd 3` with
 * `3<file` or a pipe from a secrets manager), a file (`--passphrase-file`), or a prompt on the
 * terminal without echo. It is never read from argv or the environment, and never written anywhere.
 */
import fs from 'node:fs';
import type { SecretOptions } from './argv';
import { stripFinalNewline } from './read-secret';

export class PassphraseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PassphraseError';
  }
}

export function hasPassphraseSource(o: SecretOptions): boolean {
  return o.passphraseFd !== undefined || o.passphraseFile !== undefined;
}

/** Reads the passphrase given by flag; undefined when no flag names one. */
export function readPassphraseFromFlags(o: SecretOptions, warn: (s: string) => void): string | undefined {
  if (o.passphraseFd !== undefined) return fromFd(o.passphraseFd);
  if (o.passphraseFile !== undefined) return fromFile(o.passphraseFile, warn);
  return undefined;
}

function fromFd(fd: number): string {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PassphraseError(
      `--passphrase-fd ${fd}: ${code === 'EBADF' ? 'no such file descriptor is open' : `cannot read it (${code ?? 'error'})`}. Open it when starting, e.g. \`tradeport serve --passphrase-fd 3 3<passphrase-file\`.`,
    );
  } finally {
    // Stdin stays open for Node; any other descriptor was handed to us for this one read.
    if (fd > 2) closeQuietly(fd);
  }
  return takeText(buf, `--passphrase-fd ${fd}`);
}

function fromFile(file: string, warn: (s: string) => void): string {
  let buf: Buffer;
  try {
    if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) warn(`warning: ${file} can be read by other users; chmod 600 it.\n`);
    buf = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PassphraseError(`--passphrase-file ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? 'error'})`}.`);
  }
  return takeText(buf, `--passphrase-file ${file}`);
}

function takeText(buf: Buffer, where: string): string {
  const text = stripFinalNewline(buf.toString('utf8'));
  buf.fill(0);
  if (text === '') throw new PassphraseError(`${where} gave an empty passphrase.`);
  return text;
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
}
