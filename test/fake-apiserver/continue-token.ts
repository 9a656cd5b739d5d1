/**
 * List continue tokens in the real server's format: base64url (no padding) of
 * `{"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<next key>"}`. `rv: -1` marks an
 * "inconsistent" token handed out with a 410, which continues at the latest revision.
 *
 * @module
 */
import { badRequest } from './status.js';

/** A decoded token. */
export interface ContinueToken {
  /** Revision of the first page (-1: continue at the latest revision). */
  rv: number;
  /** Key to start from (inclusive). */
  start: string;
}

/** Encodes a token. */
export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString('base64url');
}

/**
 * Decodes a token; a malformed one is a 400 `BadRequest`.
 *
 * @param text The `continue` query value.
 */
export function decodeContinue(text: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('invalid continue token: continue key is not valid: illegal base64 data');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown } | null;
  if (!p || typeof p !== 'object' || p.v !== 'meta.k8s.io/v1') {
    throw badRequest('invalid continue token: continue key is not valid: server does not recognize this encoded key');
  }
  if (typeof p.rv !== 'number' || !Number.isInteger(p.rv) || (p.rv < 1 && p.rv !== -1)) {
    throw badRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof p.start !== 'string' || p.start.length === 0 || p.start.includes('..') || p.start.startsWith('/')) {
    throw badRequest('invalid continue token: continue key is not valid: encoded start key is not valid');
  }
  return { rv: p.rv, start: p.start };
}
