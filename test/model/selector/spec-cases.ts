/**
 * Test tables transcribed from the selector specification (selectors.md §8 and §9.1).
 *
 * @module
 */

/** One example triple of §8: a selector, a label map, whether it matches, and its canonical text. */
export interface ExampleTriple {
  selector: string;
  labels: Record<string, string>;
  match: boolean;
  canonical: string;
  note?: string;
}

/** §8: every example triple. */
export const EXAMPLE_TRIPLES: readonly ExampleTriple[] = [
  {"selector": "", "labels": {}, "match": true, "canonical": "all()", "note": "empty selector means all()"},
  {"selector": "all()", "labels": {"a": "b"}, "match": true, "canonical": "all()"},
  {"selector": "global()", "labels": {}, "match": true, "canonical": "global()", "note": "evaluates true as an expression; restricted by field (section 7)"},
  {"selector": "a == \"b\"", "labels": {"a": "b"}, "match": true, "canonical": "a == \"b\""},
  {"selector": "a == \"b\"", "labels": {"a": "c"}, "match": false, "canonical": "a == \"b\""},
  {"selector": "a == \"b\"", "labels": {}, "match": false, "canonical": "a == \"b\"", "note": "missing label never equals"},
  {"selector": "a == \"\"", "labels": {"a": ""}, "match": true, "canonical": "a == \"\"", "note": "empty value is a real value"},
  {"selector": "a == \"\"", "labels": {}, "match": false, "canonical": "a == \"\""},
  {"selector": "a != \"b\"", "labels": {}, "match": true, "canonical": "a != \"b\"", "note": "missing label counts as not equal"},
  {"selector": "a != \"b\"", "labels": {"a": "b"}, "match": false, "canonical": "a != \"b\""},
  {"selector": "a != \"b\"", "labels": {"a": "B"}, "match": true, "canonical": "a != \"b\"", "note": "comparison is case-sensitive"},
  {"selector": "env == \"Prod\"", "labels": {"env": "prod"}, "match": false, "canonical": "env == \"Prod\""},
  {"selector": "a in {\"x\", \"y\"}", "labels": {"a": "y"}, "match": true, "canonical": "a in {\"x\", \"y\"}"},
  {"selector": "a in {\"x\", \"y\"}", "labels": {}, "match": false, "canonical": "a in {\"x\", \"y\"}"},
  {"selector": "a in {}", "labels": {"a": "x"}, "match": false, "canonical": "a in {}", "note": "empty set never matches"},
  {"selector": "a not in {\"x\", \"y\"}", "labels": {}, "match": true, "canonical": "a not in {\"x\", \"y\"}", "note": "missing label is not in any set"},
  {"selector": "a not in {\"x\", \"y\"}", "labels": {"a": "x"}, "match": false, "canonical": "a not in {\"x\", \"y\"}"},
  {"selector": "a not in {}", "labels": {"a": "x"}, "match": true, "canonical": "a not in {}"},
  {"selector": "a notin {\"x\"}", "labels": {"a": "y"}, "match": true, "canonical": "a not in {\"x\"}", "note": "'notin' written as one word is accepted"},
  {"selector": "a in {\"x\",}", "labels": {"a": "x"}, "match": true, "canonical": "a in {\"x\"}", "note": "trailing comma accepted"},
  {"selector": "has(a)", "labels": {"a": ""}, "match": true, "canonical": "has(a)"},
  {"selector": "has(a)", "labels": {"b": "a"}, "match": false, "canonical": "has(a)", "note": "has() tests keys, not values"},
  {"selector": "!has(a)", "labels": {}, "match": true, "canonical": "!has(a)"},
  {"selector": "! has(a)", "labels": {"a": "x"}, "match": false, "canonical": "!has(a)"},
  {"selector": "!!has(a)", "labels": {"a": "x"}, "match": true, "canonical": "has(a)", "note": "double negation cancels"},
  {"selector": "has( a )", "labels": {"a": "1"}, "match": true, "canonical": "has(a)", "note": "spaces inside has() allowed"},
  {"selector": "a contains \"ell\"", "labels": {"a": "hello"}, "match": true, "canonical": "a contains \"ell\""},
  {"selector": "a contains \"\"", "labels": {"a": "anything"}, "match": true, "canonical": "a contains \"\"", "note": "contains empty string == has(a)"},
  {"selector": "a contains \"\"", "labels": {}, "match": false, "canonical": "a contains \"\""},
  {"selector": "a starts with \"web-\"", "labels": {"a": "web-1"}, "match": true, "canonical": "a starts with \"web-\""},
  {"selector": "a startswith \"web-\"", "labels": {"a": "api-1"}, "match": false, "canonical": "a starts with \"web-\"", "note": "'startswith' as one word is accepted"},
  {"selector": "a ends with \".io\"", "labels": {"a": "x.io"}, "match": true, "canonical": "a ends with \".io\""},
  {"selector": "a ends with \".io\"", "labels": {}, "match": false, "canonical": "a ends with \".io\""},
  {"selector": "a == \"1\" && b == \"2\"", "labels": {"a": "1", "b": "2"}, "match": true, "canonical": "(a == \"1\" && b == \"2\")"},
  {"selector": "a == \"1\" && b == \"2\"", "labels": {"a": "1"}, "match": false, "canonical": "(a == \"1\" && b == \"2\")"},
  {"selector": "a == \"1\" || b == \"2\"", "labels": {"b": "2"}, "match": true, "canonical": "(a == \"1\" || b == \"2\")"},
  {"selector": "a == \"1\" || b == \"2\" && c == \"3\"", "labels": {"b": "2"}, "match": false, "canonical": "(a == \"1\" || (b == \"2\" && c == \"3\"))", "note": "&& binds tighter than ||"},
  {"selector": "a == \"1\" || b == \"2\" && c == \"3\"", "labels": {"a": "1"}, "match": true, "canonical": "(a == \"1\" || (b == \"2\" && c == \"3\"))"},
  {"selector": "(a == \"1\" || b == \"2\") && c == \"3\"", "labels": {"b": "2", "c": "3"}, "match": true, "canonical": "((a == \"1\" || b == \"2\") && c == \"3\")"},
  {"selector": "!a == \"1\"", "labels": {}, "match": true, "canonical": "!a == \"1\"", "note": "! applies to the whole comparison"},
  {"selector": "!(a == \"1\" && b == \"2\")", "labels": {"a": "1"}, "match": true, "canonical": "!(a == \"1\" && b == \"2\")"},
  {"selector": "app == \"it's\"", "labels": {"app": "it's"}, "match": true, "canonical": "app == \"it's\"", "note": "the other quote character may appear inside a literal"},
  {"selector": "k8s-app in {'kube-dns', \"coredns\"}", "labels": {"k8s-app": "coredns"}, "match": true, "canonical": "k8s-app in {\"coredns\", \"kube-dns\"}", "note": "both quote styles, sorted in canonical form"},
  {"selector": "projectcalico.org/namespace == \"prod\"", "labels": {"projectcalico.org/namespace": "prod"}, "match": true, "canonical": "projectcalico.org/namespace == \"prod\""},
  {"selector": "has(example.com/tier) && example.com/tier != \"frontend\"", "labels": {"example.com/tier": "backend"}, "match": true, "canonical": "(has(example.com/tier) && example.com/tier != \"frontend\")"},
  {"selector": "in == \"x\"", "labels": {"in": "x"}, "match": true, "canonical": "in == \"x\"", "note": "keywords are ordinary label names at the start of a term"},
  {"selector": "contains contains \"contains\"", "labels": {"contains": "xcontainsx"}, "match": true, "canonical": "contains contains \"contains\""},
  {"selector": "a==\"b\"&&!has(c)", "labels": {"a": "b"}, "match": true, "canonical": "(a == \"b\" && !has(c))", "note": "no whitespace needed around symbols"},
  {"selector": "a == \"b\"\t&& c == \"d\"", "labels": {"a": "b", "c": "d"}, "match": true, "canonical": "(a == \"b\" && c == \"d\")", "note": "tab is whitespace"},
  {"selector": "a == '\"'", "labels": {"a": "\""}, "match": true, "canonical": "a == '\"'", "note": "a value containing a double quote is written with single quotes"},
  {"selector": "a in {'\"', \"x\"}", "labels": {"a": "\""}, "match": true, "canonical": "a in {'\"', \"x\"}"},
  {"selector": "all() && !has(x)", "labels": {"x": "1"}, "match": false, "canonical": "(all() && !has(x))"},
  {"selector": "!all()", "labels": {}, "match": false, "canonical": "!all()", "note": "matches nothing"},
];

/** One syntax error of §9.1. */
export interface InvalidSelector {
  selector: string;
  reason: string;
}

/** §9.1: every selector that must be rejected in every field. */
export const INVALID_SELECTORS: readonly InvalidSelector[] = [
  {"selector": "a == b", "reason": "value must be a quoted string"},
  {"selector": "a == 1", "reason": "numbers are not literals; quote them"},
  {"selector": "a = \"b\"", "reason": "single = is not an operator"},
  {"selector": "a === \"b\"", "reason": "stray ="},
  {"selector": "\"b\" == a", "reason": "literal on the left"},
  {"selector": "a", "reason": "bare label is not an expression"},
  {"selector": "a b", "reason": "two labels with no operator"},
  {"selector": "!", "reason": "negation of nothing"},
  {"selector": "!= \"x\"", "reason": "operator without a label"},
  {"selector": "a == \"b\" &", "reason": "single &"},
  {"selector": "a == \"b\" |", "reason": "single |"},
  {"selector": "a == \"b\" and c == \"d\"", "reason": "words are not boolean operators"},
  {"selector": "a == \"b\" AND c == \"d\"", "reason": "words are not boolean operators"},
  {"selector": "a IN {\"x\"}", "reason": "keywords are case-sensitive"},
  {"selector": "a in (\"x\")", "reason": "set literal needs braces"},
  {"selector": "a in \"x\"", "reason": "set literal needs braces"},
  {"selector": "a in {\"x\" \"y\"}", "reason": "missing comma"},
  {"selector": "a in {,}", "reason": "comma without a value"},
  {"selector": "a in {\"x\",,\"y\"}", "reason": "double comma"},
  {"selector": "a in {x}", "reason": "set members must be quoted"},
  {"selector": "a in {\"x\"", "reason": "unclosed set"},
  {"selector": "has(a", "reason": "unclosed has("},
  {"selector": "has()", "reason": "has() needs a label"},
  {"selector": "has (a)", "reason": "no space allowed between has and ("},
  {"selector": "has(a b)", "reason": "one label only"},
  {"selector": "has(\"a\")", "reason": "has() takes a bare label, not a string"},
  {"selector": "all(x)", "reason": "all() takes no argument"},
  {"selector": "all ()", "reason": "no space allowed between all and ("},
  {"selector": "ALL()", "reason": "keywords are case-sensitive"},
  {"selector": "global(x)", "reason": "global() takes no argument"},
  {"selector": "(a == \"b\"", "reason": "unclosed parenthesis"},
  {"selector": "a == \"b\")", "reason": "unbalanced parenthesis"},
  {"selector": "()", "reason": "empty group"},
  {"selector": "(", "reason": "unclosed parenthesis"},
  {"selector": ")", "reason": "unbalanced parenthesis"},
  {"selector": "a == 'x", "reason": "unterminated string"},
  {"selector": "\"a", "reason": "unterminated string"},
  {"selector": "a == \"b\"\n", "reason": "newline is not whitespace (YAML block scalars add one)"},
  {"selector": "a\n== \"b\"", "reason": "newline is not whitespace"},
  {"selector": "a == \"b\" ||", "reason": "dangling operator"},
  {"selector": "|| a == \"b\"", "reason": "leading operator"},
  {"selector": "a == \"b\" && ", "reason": "dangling operator"},
  {"selector": "a =~ \"b\"", "reason": "no regex operator"},
  {"selector": "a > \"1\"", "reason": "no ordering operators"},
  {"selector": "a contains b", "reason": "value must be quoted"},
  {"selector": "a starts \"x\"", "reason": "'starts' needs 'with'"},
  {"selector": "a ends withs \"x\"", "reason": "operator must end at a word boundary"},
  {"selector": "a !in {\"x\"}", "reason": "negated set is spelled 'not in'"},
  {"selector": "a@b == \"x\"", "reason": "@ is not a label character"},
  {"selector": "%", "reason": "unexpected character"},
  {"selector": "a == \"b\" has(c)", "reason": "missing && or ||"},
  {"selector": "has(a) == \"b\"", "reason": "has() is not comparable"},
  { selector: "x".repeat(513) + " == \"y\"", reason: "label longer than 512 characters (the same with 512 repetitions is valid)" },
];
