/**
 * Help texts, generated from the command table so that they cannot drift from the flags.
 *
 * @module
 */
import type { CommandSpec, FlagSpec } from './command.js';
import { COMMANDS } from './registry.js';
import { GLOBAL_FLAGS } from './flags.js';

/** The program name shown in help and messages. */
export const PROGRAM = 'calico-datastore';

function flagLines(flags: Readonly<Record<string, FlagSpec>>): string[] {
  const rows = Object.entries(flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.type === 'string' ? ` ${f.valueName ?? 'VALUE'}` : ''}`;
    return [left, f.help] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, h]) => `  ${l.padEnd(width)}   ${h}`);
}

function commandRows(specs: readonly CommandSpec[]): string[] {
  const rows = specs.map((c) => [c.path.join(' '), c.summary] as const);
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, s]) => `  ${l.padEnd(width)}   ${s}`);
}

/** Help of the whole program. */
export function programHelp(): string {
  return [
    `${PROGRAM}: read and write Calico (projectcalico.org/v3) resources in etcd or Kubernetes, like calicoctl.`,
    '',
    `Usage: ${PROGRAM} [options] <command> [arguments] [options]`,
    '',
    'Options may come before the command too (-c FILE get ippools), as with calicoctl.',
    '',
    'Commands:',
    ...commandRows(COMMANDS),
    '',
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Connection: --config FILE (a CalicoAPIConfig), else /etc/calico/calicoctl.cfg when it exists, else the',
    'environment: DATASTORE_TYPE (kubernetes, etcdv3, etcdv2, memory), KUBECONFIG, K8S_API_ENDPOINT,',
    'K8S_CERT_FILE, K8S_KEY_FILE, K8S_CA_FILE, K8S_TOKEN, ETCD_ENDPOINTS, ETCD_CA_CERT_FILE, ETCD_CERT_FILE,',
    'ETCD_KEY_FILE, ETCD_USERNAME, ETCD_PASSWORD (each also read as CALICO_<NAME>, which wins).',
    '',
    `Run '${PROGRAM} <command> --help' for a command's options.`,
    '',
  ].join('\n');
}

/** Help of a command group such as `datastore migrate`. */
export function groupHelp(words: readonly string[], specs: readonly CommandSpec[]): string {
  return [`Usage: ${PROGRAM} ${words.join(' ')} <command> [options]`, '', 'Commands:', ...commandRows(specs), ''].join('\n');
}

/** Help of one command. */
export function commandHelp(spec: CommandSpec): string {
  return [
    `${spec.summary}.`,
    '',
    `Usage: ${PROGRAM} ${spec.usage}`,
    ...(spec.description ? ['', spec.description] : []),
    '',
    'Options:',
    ...flagLines(spec.flags),
    '',
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
    '',
  ].join('\n');
}
