/**
 * The export file (cli.md §9.2): typed v3 lists as YAML documents, then `===`, the
 * ClusterInformation as JSON, then `===`, the IPAM entries as JSON.
 *
 * @module
 */
import { parse as parseYaml } from 'yaml';
import type { ResourceObject } from '../../backends/backend.js';
import { renderOutput } from '../output/render.js';
import { splitDocuments } from '../input/split-documents.js';

/** One raw IPAM entry as calicoctl writes it. */
export interface IpamEntry {
  Key: string;
  Value: unknown;
  TTL: number;
}

/** The IPAM section. */
export interface IpamSection {
  block_affinities?: IpamEntry[];
  blocks?: IpamEntry[];
  handles?: IpamEntry[];
  config?: IpamEntry[];
}

/** A typed list of one kind. */
export interface KindList {
  kind: string;
  items: ResourceObject[];
}

/** A malformed export file; its message is printed as it is. */
export class ExportFileError extends Error {
  /**
   * Creates the error.
   *
   * @param message The one-line message.
   */
  constructor(message: string) {
    super(message);
    this.name = 'ExportFileError';
  }
}

/**
 * The YAML document of one kind's list, followed by the `---` separator.
 *
 * @param list The kind and its items.
 * @return The text.
 */
export function kindListText(list: KindList): string {
  return `${renderOutput({ format: { type: 'yaml' }, kind: list.kind, namespaced: false, showNamespace: false, units: [{ list: { items: list.items, resourceVersion: '' } }] })}---\n`;
}

/**
 * The two JSON sections with their separators.
 *
 * @param clusterInformation The ClusterInformation object.
 * @param ipam The IPAM section.
 * @return The text that follows the lists.
 */
export function trailerText(clusterInformation: unknown, ipam: IpamSection): string {
  return `===\n${JSON.stringify(clusterInformation, null, 2)}\n===\n${JSON.stringify(ipam, null, 2)}\n`;
}

/** A parsed export file. */
export interface ParsedExport {
  lists: KindList[];
  clusterInformation: ResourceObject;
  ipam: IpamSection;
}

/**
 * Parses an export file.
 *
 * @param text The file.
 * @param name The file name, for messages.
 * @return Its three sections.
 * @throws ExportFileError with calicoctl's message when it is not three sections, or naming what does not parse.
 */
export function parseExportFile(text: string, name: string): ParsedExport {
  const parts = text.split(/^===[ \t]*\r?\n/m);
  if (parts.length !== 3) throw new ExportFileError(`imported file: ${name} is improperly formatted. Try recreating with 'calicoctl export'`);
  const lists: KindList[] = [];
  for (const doc of splitDocuments(parts[0]!)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(doc.text);
    } catch (e) {
      throw new ExportFileError(`${name} document ${doc.number}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (parsed === null || parsed === undefined) continue;
    const list = parsed as { kind?: unknown; items?: unknown };
    if (typeof list.kind !== 'string' || !list.kind.endsWith('List') || !Array.isArray(list.items)) {
      throw new ExportFileError(`${name} document ${doc.number}: expected a typed list such as IPPoolList`);
    }
    lists.push({ kind: list.kind.slice(0, -'List'.length), items: list.items as ResourceObject[] });
  }
  const json = (part: string, what: string): unknown => {
    try {
      return JSON.parse(part);
    } catch (e) {
      throw new ExportFileError(`${name}: the ${what} section is not valid JSON: ${(e as Error).message}`);
    }
  };
  return { lists, clusterInformation: json(parts[1]!, 'ClusterInformation') as ResourceObject, ipam: json(parts[2]!, 'IPAM') as IpamSection };
}

/**
 * Counts the IPAM entries of a section.
 *
 * @param ipam The section.
 * @return The number of entries.
 */
export function ipamEntryCount(ipam: IpamSection): number {
  return (ipam.block_affinities?.length ?? 0) + (ipam.blocks?.length ?? 0) + (ipam.handles?.length ?? 0) + (ipam.config?.length ?? 0);
}
