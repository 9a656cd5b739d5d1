#!/usr/bin/env node
// Type-checks the `## Example` blocks of the TSDoc in src/ against the built type declarations,
// as a user's code would see them (run by `npm test` after the build). Each block becomes a module
// in .tmp/examples/ that imports every export of `calico-datastore` and `calico-datastore/testing`
// it names, so an example may use the package's exports without importing them. Examples of
// internal helpers (not exported by the package) are listed and skipped by name: they document
// code users cannot call.
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.tmp', 'examples');

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The exports of one built entry. */
function exportsOf(file) {
  const program = ts.createProgram([file], { noEmit: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} does not exist: run "npm run build" first`);
  return checker.getExportsOfModule(checker.getSymbolAtLocation(source)).map((s) => s.getName());
}
const entries = [
  ['calico-datastore', exportsOf(join(root, 'dist/index.d.ts'))],
  ['calico-datastore/testing', exportsOf(join(root, 'dist/testing.d.ts'))],
];

const EXAMPLE = /## Example\n(?: \*[^\n]*\n)*? \* ```ts\n((?: \*[^\n]*\n)*?) \* ```/g;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = [];
const origin = new Map();
for (const file of sourceFiles(join(root, 'src'))) {
  const text = readFileSync(file, 'utf8');
  let n = 0;
  for (const m of text.matchAll(EXAMPLE)) {
    const body = m[1].split('\n').map((l) => l.replace(/^ \* ?/, '')).join('\n');
    const own = new Set([...body.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((i) => i[1].split(',').map((s) => s.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop())));
    const words = new Set(body.match(/\b[A-Za-z_$][\w$]*\b/g) ?? []);
    const imports = entries
      .map(([module, names]) => [module, names.filter((name) => words.has(name) && !own.has(name))])
      .filter(([, names]) => names.length > 0)
      .map(([module, names]) => `import { ${names.join(', ')} } from '${module}';`);
    // The names examples use for "your client" and "your backend" without making one.
    const context = [];
    if (words.has('client') && !/\b(const|let)\s+client\b/.test(body)) context.push('declare const client: import("calico-datastore").CalicoClient;');
    if (words.has('backend') && !/\b(const|let)\s+backend\b/.test(body)) context.push('declare const backend: import("calico-datastore").Backend;');
    const name = `${relative(join(root, 'src'), file).replace(/[\\/.]/g, '_')}_${++n}.ts`;
    const path = join(out, name);
    // Each block is a module of its own, with top-level await allowed.
    writeFileSync(path, `${[...imports, ...context].join('\n')}\n${body}\nexport {};\n`);
    files.push(path);
    origin.set(path, { label: `${relative(root, file)} (example ${n})`, source: text });
  }
}

const program = ts.createProgram(files, {
  noEmit: true,
  strict: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  noUnusedLocals: false,
  baseUrl: root,
  paths: { 'calico-datastore': ['dist/index.d.ts'], 'calico-datastore/testing': ['dist/testing.d.ts'] },
});
const exported = new Set(entries.flatMap(([, names]) => names));
/** True for "Cannot find name X" where X is a function of the example's own module that the package does not export. */
function namesInternalHelper(d, source) {
  if (d.code !== 2304) return false;
  const name = /'([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, ' '))?.[1] ?? '';
  return !exported.has(name) && new RegExp(`export (async )?(function|const|class) ${name}\\b`).test(source);
}
const problems = new Map();
const internal = new Set();
for (const d of ts.getPreEmitDiagnostics(program)) {
  const info = d.file ? origin.get(d.file.fileName) : undefined;
  const where = info?.label ?? d.file?.fileName ?? '(global)';
  if (info && namesInternalHelper(d, info.source)) {
    internal.add(where);
    continue;
  }
  const list = problems.get(where) ?? [];
  list.push(ts.flattenDiagnosticMessageText(d.messageText, ' '));
  problems.set(where, list);
}
// An example that calls an internal helper documents that helper: its other free names are its own context.
for (const where of internal) problems.delete(where);
const failed = [...problems.keys()].sort();
console.log(`examples: ${files.length}; ${files.length - failed.length - internal.size} type-check against the built package, ${internal.size} document internal helpers (not checked), ${failed.length} fail`);
for (const where of failed) console.log(`  ${where}: ${problems.get(where).join('; ')}`);
if (process.argv.includes('--check') && failed.length > 0) process.exit(1);
