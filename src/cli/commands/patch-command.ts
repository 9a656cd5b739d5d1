/**
 * `patch KIND NAME -p PATCH [-t strategic|merge|json]` (cli.md §6.6).
 *
 * `strategic` (the default) and `merge` apply an RFC 7386 merge patch — Calico's types have no list
 * merge keys, so the two are the same here; `json` applies an RFC 6902 JSON Patch. The patch is
 * applied to the whole object (metadata included) and written with the revision that was read, so
 * a concurrent change fails with a conflict instead of being overwritten.
 *
 * @module
 */
import type { ResourceObject } from '../../backends/backend.js';
import { UsageError, type CommandBody } from '../command.js';
import { resourceErrorText } from '../error-text.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { stringFlag } from './command-support.js';
import { kindArgument } from './named-resources.js';
import { withNamedObject } from './with-named-object.js';

const PATCH_TYPES = ['strategic', 'merge', 'json'] as const;

/** `patch`. */
export const runPatch: CommandBody = async (input) => {
  const { io } = input;
  const [typed, name, ...extra] = input.args;
  const kind = kindArgument(typed);
  if (name === undefined) throw new UsageError('patch needs KIND NAME');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const patchText = stringFlag(input, 'patch');
  if (patchText === undefined) throw new UsageError('required flag "patch" (-p) not set');
  const type = stringFlag(input, 'type') ?? 'strategic';
  if (!(PATCH_TYPES as readonly string[]).includes(type)) throw new UsageError(`unknown patch type '${type}', expected one of: ${PATCH_TYPES.join(', ')}`);
  let patch: unknown;
  try {
    patch = JSON.parse(patchText);
  } catch (e) {
    io.stderr(`hit error: the patch is not valid JSON: ${(e as Error).message}\n`);
    return 1;
  }
  return withNamedObject(input, kind, name, 'hit error: ', async (ops, current) => {
    let patched: ResourceObject;
    try {
      patched = (type === 'json' ? applyJsonPatch(current, patch) : applyMergePatch(current, patch)) as ResourceObject;
    } catch (e) {
      io.stderr(`hit error: ${resourceErrorText(e)}\n`);
      return 1;
    }
    if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) {
      io.stderr('hit error: the patch does not leave an object\n');
      return 1;
    }
    // The write is conditional on the revision that was read, whatever the patch did to it.
    patched = { ...patched, metadata: { ...(patched.metadata ?? {}), resourceVersion: current.metadata.resourceVersion } } as ResourceObject;
    try {
      await ops.update(patched);
    } catch (e) {
      io.stderr(`hit error: updating existing resource: ${resourceErrorText(e)}\n`);
      return 1;
    }
    io.stdout(`Successfully patched 1 '${kind.kind}' resource\n`);
    return 0;
  });
};
