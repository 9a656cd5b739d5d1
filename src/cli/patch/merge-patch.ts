/**
 * RFC 7386 JSON Merge Patch, used by `patch --type merge` and `--type strategic` (cli.md §6.6):
 * Calico's types declare no list merge keys, so a strategic merge of them is the same thing.
 *
 * @module
 */
import { cloneJson, getMember, isJsonObject, setMember, type JsonObject } from './json-value.js';

/**
 * Applies a JSON merge patch.
 *
 * An object patch merges member by member into the target (a non-object target first becomes
 * `{}`): a `null` member removes that member, any other member is merged recursively. Any other
 * patch (array, string, number, boolean, null) replaces the target as a whole. Members keep the
 * target's order; new ones follow. Neither input is modified and the result shares nothing with
 * them.
 *
 * ```ts
 * applyMergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: [3] } }); // { a: 1, b: { d: [3] } }
 * ```
 *
 * @param target The document to patch.
 * @param patch The merge patch.
 * @return The patched document.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result: JsonObject = isJsonObject(target) ? cloneJson(target) : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete result[key];
    else setMember(result, key, applyMergePatch(getMember(result, key), value));
  }
  return result;
}
