#!/usr/bin/env node
// Packaging checks run by `npm test` after the build: publint, @arethetypeswrong/cli (node16 profile:
// the package targets Node >= 20, so legacy node10 resolution is out of scope), and the lazy-loading
// promise (importing the root entry must not load etcd3 or @kubernetes/client-node).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit' });
}

run('npx', ['--no-install', 'publint', '--strict']);
run('npx', ['--no-install', 'attw', '--pack', '.', '--profile', 'node16']);

const require = createRequire(import.meta.url);
require('../dist/index.cjs');
require('../dist/testing.cjs');
const loaded = Object.keys(require.cache);
const heavy = loaded.filter((p) => /node_modules[\\/](etcd3|@grpc|@kubernetes[\\/]client-node)[\\/]/.test(p));
if (heavy.length > 0) {
  console.error(`lazy loading broken: importing calico-datastore loaded ${heavy.slice(0, 3).join(', ')}`);
  process.exit(1);
}
console.log('lazy loading: importing calico-datastore loads neither etcd3 nor @kubernetes/client-node');

// The published conformance suite takes the caller's test functions: no test runner at runtime.
const runners = loaded.filter((p) => /node_modules[\\/](vitest|@vitest|jest)[\\/]/.test(p));
if (runners.length > 0) {
  console.error(`calico-datastore/testing loads a test runner: ${runners.slice(0, 3).join(', ')}`);
  process.exit(1);
}
console.log('testing entry: loads no test runner');
