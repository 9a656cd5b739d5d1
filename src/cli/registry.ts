/**
 * Every command of the CLI with its flags and help. Bodies load lazily (see {@link CommandSpec.load}).
 *
 * @module
 */
import type { CommandSpec } from './command.js';
import { CONFIG_FLAG, FILENAME_FLAG, NAMESPACE_FLAG, RECURSIVE_FLAG, SKIP_EMPTY_FLAG, WRITE_INPUT_FLAGS } from './flags.js';

const KINDS_HELP =
  'KIND is one of: node(s), ippool(s), workloadendpoint(s)/wep(s), networkpolic(y|ies)/np, globalnetworkpolic(y|ies)/gnp, profile(s), tier(s).';

/** The flow flags of the `policy` commands. */
const POLICY_FLOW_FLAGS = {
  protocol: { type: 'string', valueName: 'PROTO', help: 'TCP (default), UDP, SCTP, ICMP, ICMPv6 or a number' },
  port: { type: 'string', valueName: 'PORT', help: 'destination port' },
} as const;

/** Where the `policy` commands read resources: the datastore, or -f files. */
const POLICY_INPUT_FLAGS = { filename: FILENAME_FLAG, recursive: RECURSIVE_FLAG, config: CONFIG_FLAG } as const;

/** The commands, in help order. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    path: ['create'],
    usage: 'create -f FILE [options]',
    summary: 'Create resources from a file; existing ones are errors unless --skip-exists',
    flags: { ...WRITE_INPUT_FLAGS, 'skip-exists': { type: 'boolean', help: 'a resource that already exists counts as success' } },
    load: async () => (await import('./commands/write-commands.js')).runCreate,
  },
  {
    path: ['apply'],
    usage: 'apply -f FILE [options]',
    summary: 'Create resources, or update the ones that exist',
    flags: WRITE_INPUT_FLAGS,
    load: async () => (await import('./commands/write-commands.js')).runApply,
  },
  {
    path: ['replace'],
    usage: 'replace -f FILE [options]',
    summary: 'Update existing resources',
    flags: WRITE_INPUT_FLAGS,
    load: async () => (await import('./commands/write-commands.js')).runReplace,
  },
  {
    path: ['delete'],
    usage: 'delete (KIND NAME [NAME...] | -f FILE) [options]',
    summary: 'Delete resources by name or from a file',
    description: KINDS_HELP,
    flags: { ...WRITE_INPUT_FLAGS, 'skip-not-exists': { type: 'boolean', short: 's', help: 'a resource that does not exist counts as success' } },
    load: async () => (await import('./commands/delete-command.js')).runDelete,
  },
  {
    path: ['get'],
    usage: 'get (KIND [NAME...] | -f FILE) [options]',
    summary: 'Print resources as a table, YAML or JSON',
    description: `${KINDS_HELP}\nWithout -n or -A, namespaced kinds are read from namespace "default".`,
    flags: {
      output: { type: 'string', short: 'o', valueName: 'FORMAT', help: 'ps (default), wide, custom-columns=A,B,..., yaml or json' },
      namespace: NAMESPACE_FLAG,
      'all-namespaces': { type: 'boolean', short: 'A', help: 'list namespaced kinds in every namespace (also -a)' },
      export: { type: 'boolean', help: 'strip cluster-specific metadata (named gets only)' },
      filename: FILENAME_FLAG,
      recursive: RECURSIVE_FLAG,
      'skip-empty': SKIP_EMPTY_FLAG,
      config: CONFIG_FLAG,
    },
    load: async () => (await import('./commands/get-command.js')).runGet,
  },
  {
    path: ['patch'],
    usage: 'patch KIND NAME -p PATCH [options]',
    summary: 'Merge a partial document into one resource',
    description: `${KINDS_HELP}\n--type strategic (default) and merge apply an RFC 7386 merge patch; json applies an RFC 6902 JSON Patch.`,
    flags: {
      patch: { type: 'string', short: 'p', valueName: 'PATCH', help: 'the patch, as JSON' },
      type: { type: 'string', short: 't', valueName: 'TYPE', help: 'strategic (default), merge or json' },
      namespace: NAMESPACE_FLAG,
      config: CONFIG_FLAG,
    },
    load: async () => (await import('./commands/patch-command.js')).runPatch,
  },
  {
    path: ['label'],
    usage: 'label KIND NAME (key=value [--overwrite] | key --remove) [options]',
    summary: 'Add, change or remove one label',
    description: KINDS_HELP,
    flags: {
      overwrite: { type: 'boolean', help: 'replace the value of an existing label' },
      remove: { type: 'boolean', help: 'remove the label' },
      namespace: NAMESPACE_FLAG,
      config: CONFIG_FLAG,
    },
    load: async () => (await import('./commands/label-command.js')).runLabel,
  },
  {
    path: ['validate'],
    usage: 'validate -f FILE [options]',
    summary: 'Check resources offline, without a datastore',
    flags: { filename: FILENAME_FLAG, recursive: RECURSIVE_FLAG, 'skip-empty': SKIP_EMPTY_FLAG },
    load: async () => (await import('./commands/write-commands.js')).runValidate,
  },
  {
    path: ['policy', 'explain'],
    usage: 'policy explain --from NS/POD --to (NS/POD|IP) [--protocol P] [--port N] [options]',
    summary: 'Explain whether one flow is allowed, and which tier, policy and rule decides',
    description: 'Felix\'s semantics: source egress, then destination ingress; tiers, Pass, end of tier, profiles. --from/--to name a workload endpoint (NS/NAME or NS/POD), a host endpoint, or an address. Reads the datastore, or -f files (YAML/JSON; Namespaces, Kubernetes NetworkPolicies and the Staged kinds included).',
    flags: {
      from: { type: 'string', valueName: 'PEER', help: 'the sender' },
      to: { type: 'string', valueName: 'PEER', help: 'the receiver' },
      ...POLICY_FLOW_FLAGS,
      output: { type: 'string', short: 'o', valueName: 'FORMAT', help: 'table (default) or json' },
      ...POLICY_INPUT_FLAGS,
    },
    load: async () => (await import('./commands/policy-command.js')).runPolicyExplain,
  },
  {
    path: ['policy', 'matrix'],
    usage: 'policy matrix [-n NS[,NS...]] [--protocol P] [--port N] [-o FORMAT] [--out FILE] [options]',
    summary: 'Print the reachability matrix of the workload endpoints for one port',
    description: 'Rows are senders, columns receivers. -o html or svg renders a grid (green allowed, red denied; hover names the deciding policy); --out writes to a file.',
    flags: {
      namespace: { type: 'string', short: 'n', valueName: 'NS', help: 'only these namespaces (comma-separated)' },
      ...POLICY_FLOW_FLAGS,
      output: { type: 'string', short: 'o', valueName: 'FORMAT', help: 'table (default), json, html or svg' },
      out: { type: 'string', valueName: 'FILE', help: 'write the output to FILE' },
      ...POLICY_INPUT_FLAGS,
    },
    load: async () => (await import('./commands/policy-command.js')).runPolicyMatrix,
  },
  {
    path: ['version'],
    usage: 'version [--client] [options]',
    summary: 'Print the client version, and the cluster version when the datastore is reachable',
    flags: { client: { type: 'boolean', help: 'print only the client version' }, config: CONFIG_FLAG },
    load: async () => (await import('./commands/version-command.js')).runVersion,
  },
  {
    path: ['datastore', 'migrate', 'export'],
    usage: 'datastore migrate export [options] > FILE',
    summary: 'Write every Calico resource of a locked datastore to standard output',
    flags: { config: CONFIG_FLAG },
    load: async () => (await import('./migrate/migrate-commands.js')).runExport,
  },
  {
    path: ['datastore', 'migrate', 'import'],
    usage: 'datastore migrate import -f FILE [options]',
    summary: 'Import an export file into an empty datastore, then verify it',
    description:
      'The target (Kubernetes or etcd) must hold no Calico resources yet; on Kubernetes every Calico CRD the file needs must already be installed (they are not installed for you).\nEverything is checked before anything is written. The target is locked and stays locked until `datastore migrate unlock`.\nIPAM data is not imported: a file with IPAM entries is refused unless --skip-ipam is given (pod address allocations are then not migrated).\nAfterwards every imported resource is read back and compared with the file.',
    flags: {
      filename: FILENAME_FLAG,
      config: CONFIG_FLAG,
      'skip-ipam': { type: 'boolean', help: 'import without the IPAM section (pod address allocations are not migrated)' },
    },
    load: async () => (await import('./migrate/migrate-commands.js')).runImport,
  },
  {
    path: ['datastore', 'migrate', 'lock'],
    usage: 'datastore migrate lock [options]',
    summary: 'Mark the datastore not ready (Felix stops applying changes)',
    flags: { config: CONFIG_FLAG },
    load: async () => (await import('./migrate/migrate-commands.js')).runLock,
  },
  {
    path: ['datastore', 'migrate', 'unlock'],
    usage: 'datastore migrate unlock [options]',
    summary: 'Mark the datastore ready again',
    flags: { config: CONFIG_FLAG },
    load: async () => (await import('./migrate/migrate-commands.js')).runUnlock,
  },
];
