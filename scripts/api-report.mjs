#!/usr/bin/env node
// The public surface of the package, as its built type declarations state it: every export of
// `calico-datastore` and `calico-datastore/testing` with its declaration (comments dropped), in
// `api/calico-datastore.api.md`. `--check` (run by `npm test`) fails when the report differs from
// what the build declares, so a change of the public surface is a reviewed change of that file.
// Run `npm run build && node scripts/api-report.mjs` to update it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const REPORT = `${root}api/calico-datastore.api.md`;
const ENTRIES = [
  ['calico-datastore', `${root}dist/index.d.ts`],
  ['calico-datastore/testing', `${root}dist/testing.d.ts`],
];

const program = ts.createProgram(
  ENTRIES.map(([, file]) => file),
  { noEmit: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: ['node'] },
);
const checker = program.getTypeChecker();
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** The statement that declares `decl` (a variable's declaration prints with its `declare const`). */
function statementOf(decl) {
  if (ts.isVariableDeclaration(decl)) return decl.parent.parent;
  return decl;
}

function declarationText(decl) {
  const node = statementOf(decl);
  const text = printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile());
  // The build names its shared chunks by hash; the surface must not depend on those names.
  return text.replace(/^export /, '').replace(/import\("\.\/[^"]+"\)/g, 'import("<chunk>")');
}

/** Symbols of the package that a declaration names but no entry exports (api-extractor's "forgotten exports"). */
const forgotten = new Map();
const exported = new Set();

function noteReferences(decl, owner) {
  const visit = (node) => {
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const name = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      let symbol = checker.getSymbolAtLocation(name);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
      if (symbol && file.startsWith(`${root}dist/`) && !exported.has(symbol) && !(symbol.flags & ts.SymbolFlags.TypeParameter)) {
        const users = forgotten.get(symbol.getName()) ?? new Set();
        users.add(owner);
        forgotten.set(symbol.getName(), users);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(statementOf(decl));
}

function exportsOf(file) {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} does not exist: run "npm run build" first`);
  return checker.getExportsOfModule(checker.getSymbolAtLocation(source)).sort((a, b) => a.getName().localeCompare(b.getName()));
}
for (const [, file] of ENTRIES) {
  for (const symbol of exportsOf(file)) exported.add(symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
}

function surface(moduleName, file) {
  const lines = [`## \`${moduleName}\``, '', '```ts'];
  for (const symbol of exportsOf(file)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const decls = target.declarations ?? [];
    const renamed = target.getName() !== symbol.getName() ? ` (declared as ${target.getName()})` : '';
    lines.push(`// ${symbol.getName()}${renamed}`);
    const seen = new Set();
    for (const decl of decls) {
      const text = declarationText(decl);
      if (seen.has(text)) continue;
      seen.add(text);
      lines.push(text);
      noteReferences(decl, symbol.getName());
    }
    lines.push('');
  }
  if (lines[lines.length - 1] === '') lines.pop();
  lines.push('```', '');
  return lines.join('\n');
}

const header = [
  '# API report of calico-datastore',
  '',
  'Made by `scripts/api-report.mjs` from the built type declarations; `npm test` fails when it is',
  'out of date. A change here is a change of the public surface: review it as one.',
  '',
  '',
].join('\n');
const sections = ENTRIES.map(([name, file]) => surface(name, file));
const missing = [...forgotten.entries()].sort(([a], [b]) => a.localeCompare(b));
const forgottenSection = [
  '## Referenced but not exported',
  '',
  'Types the declarations above name that neither entry exports: users can see them but not import them.',
  '',
  ...(missing.length === 0 ? ['None.'] : missing.map(([name, users]) => `- \`${name}\`, named by ${[...users].sort().map((u) => `\`${u}\``).join(', ')}`)),
  '',
].join('\n');
const report = header + [...sections, forgottenSection].join('\n');

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(REPORT, 'utf8');
  } catch {
    // missing: reported below
  }
  if (committed !== report) {
    console.error('api/calico-datastore.api.md is out of date: the public surface changed. Review the change, then run `node scripts/api-report.mjs` and commit the report.');
    const a = committed.split('\n');
    const b = report.split('\n');
    const shown = [];
    for (let i = 0; i < Math.max(a.length, b.length) && shown.length < 20; i++) {
      if (a[i] !== b[i]) shown.push(`  line ${i + 1}:\n    report: ${a[i] ?? '(none)'}\n    build:  ${b[i] ?? '(none)'}`);
    }
    console.error(shown.join('\n'));
    process.exit(1);
  }
  console.log('api report: the public surface matches api/calico-datastore.api.md');
} else {
  writeFileSync(REPORT, report);
  console.log(`wrote ${REPORT}`);
}
