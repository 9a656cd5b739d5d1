#!/usr/bin/env node
/**
 * Generates `src/model/types.generated.ts` from the JSON schemas in `schemas/`, so the TypeScript
 * types and the validation schemas come from one source and cannot drift.
 *
 * Every schema that has a `title` becomes an exported interface (objects) or type alias (enums,
 * number-or-string values); a `$ref` to a titled schema becomes a reference to that name, and
 * untitled schemas are inlined. `description` becomes TSDoc. Each kind's `apiVersion` and `kind`
 * are single-value enums and so become string literal types.
 *
 * Usage:
 *   node scripts/gen-types.mjs            write the file
 *   node scripts/gen-types.mjs --check    exit 1 when the file is missing or stale
 *   node scripts/gen-types.mjs --out F    write (or with --check, compare) F instead
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_DIR = join(ROOT, 'schemas');
const DEFAULT_OUT = join(ROOT, 'src/model/types.generated.ts');

/** Kind schema files, in the order their types are written. */
const KIND_FILES = [
  'ippool.json',
  'node.json',
  'workloadendpoint.json',
  'networkpolicy.json',
  'globalnetworkpolicy.json',
  'tier.json',
];
const SHARED_FILE = 'definitions.json';

function loadSchemas() {
  const files = new Map();
  for (const f of [SHARED_FILE, ...KIND_FILES]) {
    files.set(f, JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')));
  }
  return files;
}

/** Resolves a `$ref` (`#/definitions/X` or `file.json#/definitions/X`) seen inside `file`. */
function resolveRef(files, file, ref) {
  const [target, pointer = ''] = ref.split('#');
  const targetFile = target === '' ? file : target;
  const root = files.get(targetFile);
  if (!root) throw new Error(`${file}: $ref to unknown file ${ref}`);
  let node = root;
  for (const part of pointer.split('/').filter(Boolean)) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (node === undefined) throw new Error(`${file}: unresolved $ref ${ref}`);
  return { file: targetFile, schema: node };
}

function literal(v) {
  return typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(v);
}

function union(types) {
  const seen = [...new Set(types)];
  return seen.join(' | ');
}

function arrayOf(t) {
  return /^[\w.]+$/.test(t) ? `${t}[]` : `Array<${t}>`;
}

function doc(text, indent) {
  if (!text) return '';
  const safe = String(text).replace(/\*\//g, '*\\/');
  const lines = safe.split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`).join('\n')}\n${indent} */\n`;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** TypeScript type expression for a schema. */
function typeOf(files, file, schema, indent) {
  if (schema.$ref) {
    const { file: f, schema: target } = resolveRef(files, file, schema.$ref);
    return target.title ? target.title : typeOf(files, f, target, indent);
  }
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literal));
  if (Array.isArray(schema.anyOf) && schema.type === undefined) {
    return union(schema.anyOf.map((s) => typeOf(files, file, s, indent)));
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'unknown'];
  return union(types.map((t) => primitive(files, file, schema, t, indent)));
}

function primitive(files, file, schema, t, indent) {
  switch (t) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return arrayOf(schema.items ? typeOf(files, file, schema.items, indent) : 'unknown');
    case 'object':
      if (schema.properties) return `{\n${members(files, file, schema, `${indent}  `)}${indent}}`;
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return `Record<string, ${typeOf(files, file, schema.additionalProperties, indent)}>`;
      }
      return 'Record<string, unknown>';
    default:
      return 'unknown';
  }
}

function members(files, file, schema, indent) {
  const required = new Set(schema.required ?? []);
  let out = '';
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (!prop.description) throw new Error(`${file}: property ${name} has no description`);
    const key = IDENT.test(name) ? name : literal(name);
    out += doc(prop.description, indent);
    out += `${indent}${key}${required.has(name) ? '' : '?'}: ${typeOf(files, file, prop, indent)};\n`;
  }
  return out;
}

function declaration(files, file, schema) {
  if (!schema.description) throw new Error(`${file}: ${schema.title} has no description`);
  const head = doc(schema.description, '');
  if (schema.type === 'object' && schema.properties) {
    return `${head}export interface ${schema.title} {\n${members(files, file, schema, '  ')}}\n`;
  }
  return `${head}export type ${schema.title} = ${typeOf(files, file, schema, '')};\n`;
}

/**
 * Renders the whole generated module.
 *
 * @return {string} The file contents.
 */
export function renderTypes() {
  const files = loadSchemas();
  const blocks = [];
  const titles = new Set();
  const add = (file, schema) => {
    if (titles.has(schema.title)) throw new Error(`${file}: duplicate title ${schema.title}`);
    titles.add(schema.title);
    blocks.push(declaration(files, file, schema));
  };
  for (const def of Object.values(files.get(SHARED_FILE).definitions ?? {})) {
    if (def.title) add(SHARED_FILE, def);
  }
  const kinds = [];
  for (const f of KIND_FILES) {
    const root = files.get(f);
    for (const def of Object.values(root.definitions ?? {})) if (def.title) add(f, def);
    add(f, root);
    kinds.push(root.title);
  }
  const header =
    '// Generated by scripts/gen-types.mjs from schemas/*.json. Do not edit: change the schemas and run\n' +
    '// `node scripts/gen-types.mjs` (a test fails while this file is stale).\n' +
    '/**\n' +
    ' * TypeScript types of the projectcalico.org/v3 resources, generated from the JSON schemas that\n' +
    ' * validate them.\n' +
    ' *\n' +
    ' * @module\n' +
    ' */\n';
  const resourceUnion =
    '/** Any resource of a kind the library models. Narrow on `kind`. */\n' +
    `export type CalicoResource =\n${kinds.map((k) => `  | ${k}`).join('\n')};\n`;
  const byKind =
    '/** Maps each kind name to its resource type. */\n' +
    `export interface CalicoResourceByKind {\n${kinds.map((k) => `  ${k}: ${k};`).join('\n')}\n}\n`;
  return [header, ...blocks, resourceUnion, byKind].join('\n');
}

function main(argv) {
  const check = argv.includes('--check');
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 && argv[outIndex + 1] ? resolve(argv[outIndex + 1]) : DEFAULT_OUT;
  const text = renderTypes();
  if (check) {
    const current = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
    if (current !== text) {
      console.error(`${out} is stale: run node scripts/gen-types.mjs`);
      return 1;
    }
    return 0;
  }
  writeFileSync(out, text);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
