/**
 * The encrypted keystore file: a small JSON document whose secrets are sealed with AES-256-GCM
 * under a key derived from the trader's passphrase with scrypt. The header (format, scrypt
 * parameters, salt, passphrase check) is authenticated as GCM's associated data, so changing any
 * byte of it or of the ciphertext makes opening fail instead of yielding garbage.
 *
 * A separate HMAC "passphrase check" (from the other half of the scrypt output) tells a wrong
 * passphrase apart from a damaged file; it costs an attacker exactly as much scrypt work as
 * trying the passphrase against the ciphertext would.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export const KEYSTORE_FORMAT = 1;

export interface KdfParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP's scrypt recommendation: 128 MiB and about half a second here, paid once per unlock. */
export const DEFAULT_KDF: KdfParams = { N: 2 ** 17, r: 8, p: 1 };

// Bounds on what a file may ask for, so a doctored header cannot make us allocate gigabytes.
const MIN_LOG_N = 14;
const MAX_LOG_N = 20;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CHECK_LABEL = 'tradeport keystore passphrase check v1';

export type KeystoreProblem = 'wrong_passphrase' | 'damaged' | 'unsupported' | 'weak_passphrase' | 'missing';

/** Messages name the file and what to do; they never carry a secret or the passphrase. */
export class KeystoreError extends Error {
  constructor(
    readonly problem: KeystoreProblem,
    message: string,
  ) {
    super(message);
    this.name = 'KeystoreError';
  }
}

export interface KeystoreHeader {
  readonly tradeportKeystore: number;
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly check: string;
  readonly cipher: 'aes-256-gcm';
}

export interface KeystoreDocument extends KeystoreHeader {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

export interface KeystoreKeys {
  readonly header: KeystoreHeader;
  readonly encKey: Buffer;
}

export type SecretMap = Record<string, string>;

/** A new keystore's header and keys: fresh random salt. */
export async function newKeys(passphrase: string, kdf: KdfParams = DEFAULT_KDF): Promise<KeystoreKeys> {
  checkKdf(kdf, 'new keystore');
  const salt = randomBytes(SALT_BYTES);
  const { encKey, check } = await derive(passphrase, salt, kdf);
  const header: KeystoreHeader = { tradeportKeystore: KEYSTORE_FORMAT, kdf: { name: 'scrypt', ...pick(kdf), salt: salt.toString('base64') }, check: check.toString('base64'), cipher: 'aes-256-gcm' };
  return { header, encKey };
}

/** Keys for an existing file; a wrong passphrase fails here, before any decryption. */
export async function unlockKeys(doc: KeystoreDocument, passphrase: string, where: string): Promise<KeystoreKeys> {
  const header = headerOf(doc, where);
  const salt = Buffer.from(header.kdf.salt, 'base64');
  const { encKey, check } = await derive(passphrase, salt, header.kdf);
  const stored = Buffer.from(header.check, 'base64');
  if (stored.length !== check.length || !timingSafeEqual(stored, check)) {
    throw new KeystoreError('wrong_passphrase', `The keystore passphrase is wrong (${where}). Try again; a forgotten passphrase cannot be recovered, only the secrets set again in a new keystore.`);
  }
  return { header, encKey };
}

/** Seals the secrets with a fresh random IV; each call gives a different ciphertext. */
export function seal(keys: KeystoreKeys, secrets: SecretMap): KeystoreDocument {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.encKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(keys.header));
  const data = Buffer.concat([cipher.update(JSON.stringify({ secrets }), 'utf8'), cipher.final()]);
  return { ...keys.header, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

export function unseal(keys: KeystoreKeys, doc: KeystoreDocument, where: string): SecretMap {
  const header = headerOf(doc, where);
  if (aad(header).compare(aad(keys.header)) !== 0) throw damaged(where);
  const iv = Buffer.from(doc.iv, 'base64');
  const tag = Buffer.from(doc.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw damaged(where);
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.encKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(header));
    decipher.setAuthTag(tag);
    text = Buffer.concat([decipher.update(Buffer.from(doc.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw damaged(where);
  }
  // Never let a parser's message quote the plaintext.
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw damaged(where);
  }
  const secrets = (parsed as { secrets?: unknown }).secrets;
  if (!secrets || typeof secrets !== 'object' || Object.values(secrets).some((v) => typeof v !== 'string')) throw damaged(where);
  return { ...(secrets as SecretMap) };
}

export function parseDocument(text: string, where: string): KeystoreDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw damaged(where);
  }
  const d = doc as Partial<KeystoreDocument>;
  if (!d || typeof d !== 'object' || typeof d.iv !== 'string' || typeof d.tag !== 'string' || typeof d.data !== 'string') throw damaged(where);
  headerOf(d as KeystoreDocument, where);
  return d as KeystoreDocument;
}

function headerOf(doc: KeystoreDocument, where: string): KeystoreHeader {
  if (typeof doc.tradeportKeystore === 'number' && doc.tradeportKeystore > KEYSTORE_FORMAT) {
    throw new KeystoreError('unsupported', `The keystore ${where} was written by a newer Tradeport (format ${doc.tradeportKeystore}); update Tradeport to open it.`);
  }
  const k = doc.kdf;
  if (doc.tradeportKeystore !== KEYSTORE_FORMAT || doc.cipher !== 'aes-256-gcm' || !k || k.name !== 'scrypt' || typeof k.salt !== 'string' || typeof doc.check !== 'string') throw damaged(where);
  checkKdf(k, where);
  return { tradeportKeystore: doc.tradeportKeystore, kdf: { name: 'scrypt', N: k.N, r: k.r, p: k.p, salt: k.salt }, check: doc.check, cipher: doc.cipher };
}

function checkKdf(k: KdfParams, where: string): void {
  const logN = Math.log2(k.N);
  const ok = Number.isInteger(logN) && logN >= MIN_LOG_N && logN <= MAX_LOG_N && Number.isInteger(k.r) && k.r >= 1 && k.r <= 16 && Number.isInteger(k.p) && k.p >= 1 && k.p <= 4;
  if (!ok) throw damaged(where);
}

function derive(passphrase: string, salt: Buffer, kdf: KdfParams): Promise<{ encKey: Buffer; check: Buffer }> {
  const maxmem = 128 * kdf.N * kdf.r * kdf.p + 32 * 2 ** 20;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 64, { ...pick(kdf), maxmem }, (err, out) => {
      if (err) return reject(err);
      const encKey = Buffer.from(out.subarray(0, 32));
      const check = createHmac('sha256', out.subarray(32)).update(CHECK_LABEL).digest();
      out.fill(0);
      resolve({ encKey, check });
    });
  });
}

function aad(h: KeystoreHeader): Buffer {
  return Buffer.from(JSON.stringify([h.tradeportKeystore, h.kdf.name, h.kdf.N, h.kdf.r, h.kdf.p, h.kdf.salt, h.check, h.cipher]), 'utf8');
}

function pick(k: KdfParams): KdfParams {
  return { N: k.N, r: k.r, p: k.p };
}

function damaged(where: string): KeystoreError {
  return new KeystoreError(
    'damaged',
    `The keystore ${where} is damaged or was altered (its authentication check failed), so Tradeport will not use it. Restore it from a backup, or move it aside and set the secrets again.`,
  );
}
