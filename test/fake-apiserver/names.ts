/**
 * Name, label-key and label-value checks with the API server's rules and messages
 * (`k8s.io/apimachinery/pkg/util/validation`). Each returns `undefined` when valid, otherwise
 * the message the server would put after `Invalid value: "<v>": `.
 *
 * @module
 */

const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const QUALIFIED_NAME_FMT =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_FMT =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const DNS1123_SUBDOMAIN_FMT =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL_FMT =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** RFC 1123 subdomain (most object names): at most 253 characters. */
export function isDnsSubdomain(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN_RE.test(value)) return DNS1123_SUBDOMAIN_FMT;
  return undefined;
}

/** RFC 1123 label (Namespace names): at most 63 characters. */
export function isDnsLabel(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL_RE.test(value)) return DNS1123_LABEL_FMT;
  return undefined;
}

/** Path-segment name: anything except `.`, `..`, and names containing `/` or `%`. */
export function isPathSegmentName(value: string): string | undefined {
  if (value === '.' || value === '..') return `may not be '${value}'`;
  if (value.includes('/')) return "may not contain '/'";
  if (value.includes('%')) return "may not contain '%'";
  return undefined;
}

/** Qualified name (label and annotation keys): optional DNS-subdomain prefix, `/`, name of at most 63. */
export function isQualifiedName(value: string): string | undefined {
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] as string;
  } else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) return 'prefix part must be non-empty';
    const why = isDnsSubdomain(prefix);
    if (why) return `prefix part ${why}`;
  } else {
    return `a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`;
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME_RE.test(name)) return QUALIFIED_NAME_FMT;
  return undefined;
}

/** Label value: empty, or at most 63 alphanumerics with `-_.` inside. */
export function isLabelValue(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE_RE.test(value)) return LABEL_VALUE_FMT;
  return undefined;
}

/** Checks a name with the rule a resource uses. */
export function checkName(rule: 'dns-subdomain' | 'dns-label' | 'path-segment', value: string): string | undefined {
  if (rule === 'dns-label') return isDnsLabel(value);
  if (rule === 'path-segment') return isPathSegmentName(value);
  return isDnsSubdomain(value);
}
