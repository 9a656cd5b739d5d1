import type { ResourceObject } from '../../../src/backends/backend.js';

/** A v3 object of `kind` with the given metadata and spec. */
export function obj(kind: string, metadata: ResourceObject['metadata'], spec?: Record<string, unknown>): ResourceObject {
  return { apiVersion: 'projectcalico.org/v3', kind, metadata, ...(spec === undefined ? {} : { spec }) };
}
