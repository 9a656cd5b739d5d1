/**
 * The uid transform Calico applies between a `projectcalico.org/v3` object and the Kubernetes
 * object it is stored in or derived from (Calico `ConvertUID`, backends spec §3.2.3), so the two
 * never share a uid (which would confuse Kubernetes garbage collection).
 *
 * The transform reverses the bit order inside each of the 16 bytes, except bytes 6 and 8 (the
 * version and variant bytes), which keep their value. It is its own inverse.
 *
 * @module
 */
import { ValidationError } from '../../errors.js';

const REVERSED = Uint8Array.from({ length: 256 }, (_, b) => {
  let r = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 1 << (7 - i);
  return r;
});

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** The 32 hex digits of a UUID in any form Go's `uuid.Parse` accepts, or undefined. */
function hexDigits(uid: string): string | undefined {
  let s = uid;
  if (s.length === 45 && s.slice(0, 9).toLowerCase() === 'urn:uuid:') s = s.slice(9);
  else if (s.length === 38 && s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  if (s.length === 36) {
    if (s[8] !== '-' || s[13] !== '-' || s[18] !== '-' || s[23] !== '-') return undefined;
    s = s.replaceAll('-', '');
  }
  return HEX32.test(s) ? s.toLowerCase() : undefined;
}

/**
 * Applies the uid transform, or returns `undefined` when `uid` is not a UUID.
 *
 * @param uid A UUID (canonical, 32-hex, `{…}` or `urn:uuid:` form).
 * @return The transformed uid in canonical lower-case form, or `undefined`.
 */
export function tryConvertUID(uid: string): string | undefined {
  const hex = typeof uid === 'string' ? hexDigits(uid) : undefined;
  if (hex === undefined) return undefined;
  let out = '';
  for (let i = 0; i < 16; i++) {
    const byte = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    const next = i === 6 || i === 8 ? byte : (REVERSED[byte] as number);
    out += next.toString(16).padStart(2, '0');
    if (i === 3 || i === 5 || i === 7 || i === 9) out += '-';
  }
  return out;
}

/**
 * Calico's uid transform between a v3 object and its Kubernetes counterpart (custom resource,
 * Kubernetes NetworkPolicy, Namespace, ServiceAccount). Applying it twice gives the original uid.
 *
 * ## Example
 * ```ts
 * convertUID('0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b'); // '50d1f670-3cb4-4efa-9ad8-34bc72fa56de'
 * convertUID('50d1f670-3cb4-4efa-9ad8-34bc72fa56de'); // '0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b'
 * ```
 * @param uid A UUID.
 * @param path Field path named in the error.
 * @return The transformed uid (canonical lower-case form).
 * @throws ValidationError naming `path` when `uid` is not a UUID.
 */
export function convertUID(uid: string, path = 'metadata.uid'): string {
  if (typeof uid !== 'string') throw new ValidationError([{ path: typeof path === 'string' ? path : 'metadata.uid', type: 'invalid', message: 'must be a string' }]);
  const out = tryConvertUID(uid);
  if (out === undefined) throw new ValidationError([{ path, type: 'invalid', message: 'must be a UUID' }]);
  return out;
}
