/**
 * The syntax tree of a parsed Calico selector.
 *
 * The shapes follow the node kinds of Calico's parser one for one, so the canonical text
 * rendered from a tree is the text Calico renders for the same input. Trees are plain,
 * immutable data: the parser builds them, the compiler turns them into matcher closures and
 * the canonical renderer turns them back into text.
 *
 * @module
 */

/** The operators that compare one label with one string literal. */
export type CompareOperator = '==' | '!=' | 'contains' | 'starts with' | 'ends with';

/** The two set-membership operators. */
export type SetOperator = 'in' | 'not in';

/** `all()`, and also what an empty selector parses to. Always true. */
export interface AllNode {
  readonly type: 'all';
}

/** `global()`. Always true as an expression; its meaning comes from the field it is used in. */
export interface GlobalNode {
  readonly type: 'global';
}

/** `has(label)`: the label is present, whatever its value. */
export interface HasNode {
  readonly type: 'has';
  /** The label key tested. */
  readonly label: string;
}

/** `label <op> "value"` for `==`, `!=`, `contains`, `starts with` and `ends with`. */
export interface CompareNode {
  readonly type: 'compare';
  /** The operator, in its canonical spelling. */
  readonly op: CompareOperator;
  /** The label key on the left. */
  readonly label: string;
  /** The string literal on the right, without its quotes. */
  readonly value: string;
}

/** `label in {…}` or `label not in {…}`. */
export interface SetNode {
  readonly type: 'set';
  /** The operator, in its canonical spelling. */
  readonly op: SetOperator;
  /** The label key on the left. */
  readonly label: string;
  /** The members, sorted ascending by byte order and free of duplicates. */
  readonly values: readonly string[];
}

/**
 * `!operand`. A run of `!` tokens is collapsed by the parser (an even count disappears), but a
 * negated parenthesised group holding another negation keeps both nodes, exactly as Calico does.
 */
export interface NotNode {
  readonly type: 'not';
  /** The negated expression. */
  readonly operand: SelectorNode;
}

/** Two or more operands joined by `&&` at one level. */
export interface AndNode {
  readonly type: 'and';
  /** The operands, in source order (at least two). */
  readonly operands: readonly SelectorNode[];
}

/** Two or more operands joined by `||` at one level. */
export interface OrNode {
  readonly type: 'or';
  /** The operands, in source order (at least two). */
  readonly operands: readonly SelectorNode[];
}

/** Any node of a selector syntax tree. */
export type SelectorNode = AllNode | GlobalNode | HasNode | CompareNode | SetNode | NotNode | AndNode | OrNode;
