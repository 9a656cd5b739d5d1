/**
 * `get (KIND [NAME...] | -f FILE)` (cli.md §6.5, §7.4, §8).
 *
 * @module
 */
import type { ResourceObject } from '../../backends/backend.js';
import type { CalicoClient } from '../../client.js';
import { isNotFound } from '../../errors.js';
import { UsageError, type CommandBody, type CommandInput } from '../command.js';
import type { CliKind } from '../kinds.js';
import { resolveNamespace } from '../namespace.js';
import { operationsFor, type ListPage } from '../resource-ops.js';
import { resourceErrorText } from '../error-text.js';
import type { PreparedResource } from '../prepare-resources.js';
import { parseOutputFormat, OutputFormatError, type OutputFormat } from '../output/output-format.js';
import { renderOutput, tableBuilder, type PrintUnit, type TableBuilder } from '../output/render.js';
import { listDocumentWriter } from '../output/list-document.js';
import { booleanFlag, loadInputOrReport, openOrReport, stringFlag, withSession } from './command-support.js';
import { kindArgument, namedResources } from './named-resources.js';

/** Metadata fields `--export` removes (§6.5). */
const EXPORT_STRIPPED = ['namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const;

/** Calico's default AS number when no BGPConfiguration sets one. */
const DEFAULT_AS_NUMBER = '64512';

function exported(obj: ResourceObject): ResourceObject {
  const metadata: Record<string, unknown> = { ...obj.metadata };
  for (const f of EXPORT_STRIPPED) delete metadata[f];
  return { ...obj, metadata: metadata as ResourceObject['metadata'] };
}

/** The cluster-wide default AS number for the Node `ASN` column (§8.1). */
async function defaultASNumber(client: CalicoClient): Promise<string> {
  try {
    const backend = await client.backend();
    const { value } = await backend.get({ kind: 'BGPConfiguration', name: 'default' });
    const asNumber = (value.spec as { asNumber?: unknown } | undefined)?.asNumber;
    return asNumber === undefined || asNumber === null ? DEFAULT_AS_NUMBER : String(asNumber);
  } catch (e) {
    return isNotFound(e) ? DEFAULT_AS_NUMBER : 'unknown';
  }
}

function needsASN(format: OutputFormat): boolean {
  return format.type === 'wide' || (format.type === 'custom' && format.columns.includes('ASN'));
}

interface Printed {
  kind: CliKind;
  unit: PrintUnit;
}

/** `get`. */
export const runGet: CommandBody = async (input) => {
  const { io } = input;
  let format: OutputFormat;
  try {
    format = parseOutputFormat(stringFlag(input, 'output') ?? 'ps');
  } catch (e) {
    if (e instanceof OutputFormatError) {
      io.stderr(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const namespaceFlag = stringFlag(input, 'namespace') ?? '';
  const allNamespaces = booleanFlag(input, 'all-namespaces');
  const exportMode = booleanFlag(input, 'export');

  // What to read: one list, or one get per named resource.
  let named: PreparedResource[] | undefined;
  let listKind: CliKind | undefined;
  let listNamespace: string | undefined;
  const errors: string[] = [];
  if (stringFlag(input, 'filename') !== undefined) {
    if (input.args.length > 0) throw new UsageError('give either KIND [NAME...] or -f FILE, not both');
    named = await loadInputOrReport(input, false);
    if (!named) return 1;
  } else {
    const [typed, ...names] = input.args;
    const kind = kindArgument(typed);
    if (names.length > 0) {
      if (allNamespaces && kind.namespaced && namespaceFlag === '') {
        io.stderr('cannot use --all-namespace flag for getting a single resource\n');
        return 1;
      }
      named = namedResources(kind, names, namespaceFlag, allNamespaces);
    } else {
      const ns = resolveNamespace(kind, undefined, { namespace: namespaceFlag, allNamespaces }, 'list');
      if ('error' in ns) {
        io.stderr(`${ns.error}\n`);
        return 1;
      }
      listKind = kind;
      listNamespace = ns.namespace;
    }
  }
  if (exportMode && listKind) {
    io.stderr('--export can only be used with named resources\n');
    return 1;
  }
  if (named && named.length === 0) {
    io.stdout('No resources specified\n');
    return 0;
  }

  const session = openOrReport(input);
  if (!session) return 1;
  // Lists print page by page (Tier lists are sorted by order first, so they are read whole).
  if (listKind && listKind.kind !== 'Tier') {
    const kind = listKind;
    return withSession(session, (s) => printListPages(s.client, io, format, kind, listNamespace, namespaceFlag !== '' || allNamespaces));
  }
  return withSession(session, async (s) => {
    const printed: Printed[] = [];
    if (listKind) {
      try {
        const list = await operationsFor(s.client, listKind).list(listNamespace);
        printed.push({ kind: listKind, unit: { list } });
      } catch (e) {
        io.stderr(`failed to get resources: ${resourceErrorText(e)}\n`);
        return 1;
      }
    } else {
      for (const r of named ?? []) {
        if (r.error !== undefined) {
          errors.push(r.error);
          continue;
        }
        try {
          const ref = { name: r.object.metadata.name ?? '', ...(r.object.metadata.namespace ? { namespace: r.object.metadata.namespace } : {}) };
          const obj = await operationsFor(s.client, r.kind).get(ref);
          printed.push({ kind: r.kind, unit: { object: exportMode ? exported(obj) : obj } });
        } catch (e) {
          errors.push(resourceErrorText(e));
        }
      }
    }
    const asn = printed.some((p) => p.kind.kind === 'Node') && needsASN(format) ? await defaultASNumber(s.client) : undefined;
    try {
      io.stdout(render(format, printed, namespaceFlag !== '' || allNamespaces, asn));
    } catch (e) {
      if (e instanceof OutputFormatError) {
        io.stderr(`${e.message}\n`);
        return 1;
      }
      throw e;
    }
    for (const e of errors) io.stderr(`${e}\n`);
    return errors.length === 0 ? 0 : 1;
  });
};

/** Most pages a listing reads: more than any datastore holds (500 × 1e6 objects). */
const MAX_PAGES = 1_000_000;

/**
 * Prints a list as it is read. Documents (`-o yaml|json`) are written a page at a time, waiting
 * for a slow reader between pages; a table keeps only its cells until the end, since its columns
 * are as wide as their widest cell (as Go's tabwriter, which calicoctl also fills completely
 * before printing). A failure before the first page prints nothing; a later one (a snapshot
 * that expired while a long list was read) ends the output where it is, with the error on stderr.
 */
async function printListPages(client: CalicoClient, io: CommandInput['io'], format: OutputFormat, kind: CliKind, namespace: string | undefined, namespaceGiven: boolean): Promise<number> {
  const ops = operationsFor(client, kind);
  const asn = kind.kind === 'Node' && needsASN(format) ? await defaultASNumber(client) : undefined;
  const request = { format, kind: kind.kind, namespaced: kind.namespaced, showNamespace: kind.namespaced && namespaceGiven, ...(asn === undefined ? {} : { defaultASNumber: asn }) };
  let page: ListPage;
  let table: TableBuilder | undefined;
  try {
    page = await ops.listPage(namespace);
    if (format.type !== 'yaml' && format.type !== 'json') table = tableBuilder(request);
  } catch (e) {
    io.stderr(e instanceof OutputFormatError ? `${e.message}\n` : `failed to get resources: ${resourceErrorText(e)}\n`);
    return 1;
  }
  const document = format.type === 'yaml' || format.type === 'json' ? listDocumentWriter(format.type, kind.kind, page.resourceVersion) : undefined;
  for (let n = 1; ; n++) {
    if (document) {
      io.stdout(document.items(page.items));
      await io.flush?.();
    } else {
      table?.add(page.items);
    }
    if (!page.continue || n >= MAX_PAGES) break;
    try {
      page = await ops.listPage(namespace, page.continue);
    } catch (e) {
      io.stderr(`failed to get resources: ${resourceErrorText(e)}\n`);
      return 1;
    }
  }
  io.stdout(document ? document.end() : (table as TableBuilder).text());
  return 0;
}

function render(format: OutputFormat, printed: readonly Printed[], namespaceGiven: boolean, asn: string | undefined): string {
  if (printed.length === 0) return '';
  const base = (p: Printed) => ({
    format,
    kind: p.kind.kind,
    namespaced: p.kind.namespaced,
    showNamespace: p.kind.namespaced && namespaceGiven,
    ...(asn === undefined ? {} : { defaultASNumber: asn }),
  });
  if (format.type === 'yaml' || format.type === 'json') {
    return renderOutput({ ...base(printed[0]!), units: printed.map((p) => p.unit) });
  }
  // Tables: one per printed unit, each with its kind's columns.
  return printed.map((p) => renderOutput({ ...base(p), units: [p.unit] })).join('');
}
