/**
 * HTTP plumbing shared by the handlers: reading and decoding request bodies with the server's
 * size limit and media types, writing JSON and `Status` responses, reading query flags.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { apiFailure, badRequest, failureStatus, unsupportedMediaType, type K8sStatus } from './status.js';
import type { JsonValue } from './types.js';

/** The API server's request body limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Media types accepted for create/update bodies. */
export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** Reads the whole body; more than {@link MAX_BODY_BYTES} is a 413. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES) {
      throw apiFailure(failureStatus(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`));
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** The media type of a request without parameters; JSON when absent (as the server assumes). */
export function mediaType(req: IncomingMessage): string {
  const raw = req.headers['content-type'];
  const t = (Array.isArray(raw) ? raw[0] : raw)?.split(';')[0]?.trim().toLowerCase();
  return t || 'application/json';
}

/**
 * Decodes a create/update body (JSON or YAML). Other media types are a 415, undecodable data a 400.
 *
 * @param req The request (for its Content-Type).
 * @param body The raw body.
 */
export function decodeObjectBody(req: IncomingMessage, body: Buffer): JsonValue {
  const type = mediaType(req);
  const text = body.toString('utf8');
  if (type === 'application/json') {
    try {
      return JSON.parse(text) as JsonValue;
    } catch (e) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
    }
  }
  if (type === 'application/yaml') {
    try {
      return parseYaml(text) as JsonValue;
    } catch (e) {
      throw badRequest(`couldn't get version/kind; yaml parse error: ${(e as Error).message}`);
    }
  }
  throw unsupportedMediaType(OBJECT_MEDIA_TYPES);
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Writes a Status response with its code. */
export function sendStatus(res: ServerResponse, status: K8sStatus, headers: Record<string, string | string[]> = {}): void {
  sendJson(res, status.code, status, headers);
}

/** Reads a boolean query flag the way the server does (`true`, `1`, `t`, ...). */
export function queryFlag(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False', ''].includes(v)) return false;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** Reads a non-negative integer query parameter; a malformed one is a 400. */
export function queryInt(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** Parses a resourceVersion parameter; a non-number is a 400 like the server's. */
export function parseResourceVersion(value: string): number {
  if (!/^\d+$/.test(value)) throw badRequest(`invalid resource version: ${JSON.stringify(value)}`);
  return Number(value);
}
