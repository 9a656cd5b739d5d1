/**
 * The protobuf form of `/openapi/v2` (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`),
 * the one client-go's `OpenAPISchema()` asks for: the Swagger 2.0 JSON document encoded as the
 * gnostic `openapi.v2.Document` message. Only the parts a Swagger document of the fake has are
 * encoded (info, paths with operations, parameters and responses, definitions); vendor
 * extensions travel as YAML text, as gnostic keeps them. Keywords Swagger 2.0 lacks (`anyOf`,
 * `oneOf`, `not`, `nullable`) are dropped, as the real server drops them from v2.
 *
 * @module
 */
import type { JsonObject, JsonValue } from './types.js';

/** The media type of the protobuf document (what the server answers with). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** The older spelling clients still ask for (not a valid media type name, so never sent back). */
export const OPENAPI_V2_PROTOBUF_DEPRECATED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** A protobuf message being written: fields are appended in the order given. */
class Message {
  private readonly parts: Buffer[] = [];

  private varint(n: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(n));
    const bytes: number[] = [];
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v) b |= 0x80;
      bytes.push(b);
    } while (v);
    this.parts.push(Buffer.from(bytes));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  private bytesField(field: number, b: Buffer): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.parts.push(b);
  }

  /** A string field (omitted when empty, like proto3). */
  str(field: number, value: unknown): this {
    if (typeof value === 'string' && value !== '') this.bytesField(field, Buffer.from(value, 'utf8'));
    return this;
  }

  /** A repeated string field (every entry written, empty ones too). */
  strs(field: number, values: unknown): this {
    if (Array.isArray(values)) for (const v of values) if (typeof v === 'string') this.bytesField(field, Buffer.from(v, 'utf8'));
    return this;
  }

  /** A bool field (omitted when false). */
  bool(field: number, value: unknown): this {
    if (value !== true) return this;
    this.tag(field, 0);
    this.varint(1);
    return this;
  }

  /** An int64 field (omitted when absent or 0). */
  int(field: number, value: unknown): this {
    if (typeof value !== 'number' || value === 0) return this;
    this.tag(field, 0);
    this.varint(Math.trunc(value));
    return this;
  }

  /** A double field (omitted when absent or 0). */
  double(field: number, value: unknown): this {
    if (typeof value !== 'number' || value === 0) return this;
    this.tag(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.parts.push(b);
    return this;
  }

  /** An embedded message field. */
  msg(field: number, m: Message | undefined): this {
    if (m) this.bytesField(field, m.bytes());
    return this;
  }

  /** The encoded message. */
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const isObj = (v: JsonValue | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);

/** `Any { yaml = 2 }`: JSON text is valid YAML. */
const anyOf = (v: JsonValue): Message => new Message().str(2, JSON.stringify(v));

function extensions(m: Message, field: number, o: JsonObject): void {
  for (const [k, v] of Object.entries(o)) if (k.startsWith('x-') && v !== undefined) m.msg(field, new Message().str(1, k).msg(2, anyOf(v)));
}

function schema(s: JsonObject): Message {
  const m = new Message()
    .str(1, s.$ref)
    .str(2, s.format)
    .str(3, s.title)
    .str(4, s.description);
  if (s.default !== undefined) m.msg(5, anyOf(s.default));
  m.double(6, s.multipleOf).double(7, s.maximum).bool(8, s.exclusiveMaximum).double(9, s.minimum).bool(10, s.exclusiveMinimum);
  m.int(11, s.maxLength).int(12, s.minLength).str(13, s.pattern).int(14, s.maxItems).int(15, s.minItems).bool(16, s.uniqueItems);
  m.int(17, s.maxProperties).int(18, s.minProperties).strs(19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) m.msg(20, anyOf(e));
  if (isObj(s.additionalProperties)) m.msg(21, new Message().msg(1, schema(s.additionalProperties)));
  else if (typeof s.additionalProperties === 'boolean') m.msg(21, s.additionalProperties ? new Message().bool(2, true) : new Message());
  if (typeof s.type === 'string') m.msg(22, new Message().str(1, s.type));
  if (isObj(s.items)) m.msg(23, new Message().msg(1, schema(s.items)));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObj(a)) m.msg(24, schema(a));
  if (isObj(s.properties)) {
    const props = new Message();
    for (const [name, p] of Object.entries(s.properties)) if (isObj(p)) props.msg(1, new Message().str(1, name).msg(2, schema(p)));
    m.msg(25, props);
  }
  extensions(m, 31, s);
  return m;
}

function parameter(p: JsonObject): Message {
  if (p.in === 'body') {
    const body = new Message().str(1, p.description).str(2, p.name).str(3, p.in).bool(4, p.required);
    if (isObj(p.schema)) body.msg(5, schema(p.schema));
    return new Message().msg(1, new Message().msg(1, body));
  }
  const sub =
    p.in === 'path'
      ? new Message().bool(1, p.required).str(2, p.in).str(3, p.description).str(4, p.name).str(5, p.type).bool(19, p.uniqueItems)
      : new Message().bool(1, p.required).str(2, p.in).str(3, p.description).str(4, p.name).str(6, p.type).bool(20, p.uniqueItems);
  return new Message().msg(1, new Message().msg(2, new Message().msg(p.in === 'path' ? 4 : 3, sub)));
}

function operation(op: JsonObject): Message {
  const m = new Message().strs(1, op.tags).str(3, op.description).str(5, op.operationId).strs(6, op.produces).strs(7, op.consumes);
  for (const p of Array.isArray(op.parameters) ? op.parameters : []) if (isObj(p)) m.msg(8, parameter(p));
  const responses = new Message();
  for (const [code, r] of Object.entries(isObj(op.responses) ? op.responses : {})) {
    if (!isObj(r)) continue;
    const response = new Message().str(1, r.description);
    if (isObj(r.schema)) response.msg(2, new Message().msg(1, schema(r.schema)));
    responses.msg(1, new Message().str(1, code).msg(2, new Message().msg(1, response)));
  }
  m.msg(9, responses).strs(10, op.schemes);
  extensions(m, 13, op);
  return m;
}

const PATH_ITEM_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/**
 * Encodes a Swagger 2.0 document (as `openApiV2Document` builds it) as `openapi.v2.Document`.
 *
 * @param doc The JSON document.
 * @return The protobuf bytes.
 */
export function encodeOpenApiV2(doc: JsonObject): Buffer {
  const info = isObj(doc.info) ? doc.info : {};
  const m = new Message().str(1, doc.swagger).msg(2, new Message().str(1, info.title).str(2, info.version));
  const paths = new Message();
  for (const [path, item] of Object.entries(isObj(doc.paths) ? doc.paths : {})) {
    if (!isObj(item)) continue;
    const pi = new Message();
    for (const [method, field] of Object.entries(PATH_ITEM_FIELDS)) if (isObj(item[method])) pi.msg(field, operation(item[method]));
    for (const p of Array.isArray(item.parameters) ? item.parameters : []) if (isObj(p)) pi.msg(9, parameter(p));
    paths.msg(2, new Message().str(1, path).msg(2, pi));
  }
  m.msg(8, paths);
  const defs = new Message();
  for (const [name, s] of Object.entries(isObj(doc.definitions) ? doc.definitions : {})) if (isObj(s)) defs.msg(1, new Message().str(1, name).msg(2, schema(s)));
  m.msg(9, defs);
  return m.bytes();
}
