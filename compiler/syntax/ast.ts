/**
 * The surface syntax tree (language.md §3–§5). Every node carries the `Span` it was parsed
 * from; generated nodes (derivations, the entries a `type` declaration stands for) carry
 * the span of the source that caused them. Parentheses leave no node behind: a printer
 * puts back whatever parentheses the grammar needs.
 *
 * Upper-case names are `QualifiedName`s: `name` is the full name after `use` aliases are
 * expanded, `written` is the text as it appears in the file.
 */
import type { Span } from './span.js';

export interface Ident {
  readonly name: string;
  readonly span: Span;
}

export interface QualifiedName {
  readonly name: string;
  readonly written: string;
  readonly span: Span;
}

// ─── Expressions ─────────────────────────────────────────────────────────────

export type Expr =
  | Var | Call | Builtin | App | Lambda | Pi | Ann | SigmaType | Pair | Let | Match | Open | Do | If
  | Hole | Help | Num | Nat | Char | Str | List | BinOp | FieldPath | Specialize;

/** A local variable (language.md §5.1). */
export interface Var { readonly kind: 'Var'; readonly name: string; readonly span: Span }

/** `F a (x = b)`: a reference to a top-level definition with its arguments (§5.2). */
export interface Call {
  readonly kind: 'Call';
  readonly head: QualifiedName;
  readonly args: readonly CallArg[];
  readonly span: Span;
}

/** A positional argument (`name` absent) or a named one, `(name = value)`. */
export interface CallArg {
  readonly name?: Ident;
  readonly value: Expr;
  readonly span: Span;
}

export type BuiltinName = 'Type' | 'Data.U60' | 'Data.F60';

/** `Type`, `Data.U60`, `Data.F60`: names the parser recognises (§5.20). */
export interface Builtin { readonly kind: 'Builtin'; readonly name: BuiltinName; readonly span: Span }

/** `f a ~(b)`: application of a local function (§5.3). */
export interface App {
  readonly kind: 'App';
  readonly fun: Expr;
  readonly args: readonly AppArg[];
  readonly span: Span;
}

export interface AppArg {
  readonly erased: boolean;
  readonly value: Expr;
  readonly span: Span;
}

/** `x => b`, `(x: A) => b`, `~x => b`, `~(x: A) => b` (§5.4). */
export interface Lambda {
  readonly kind: 'Lambda';
  readonly param: Ident;
  readonly paramType?: Expr;
  readonly erased: boolean;
  readonly body: Expr;
  readonly span: Span;
}

/** `(x: A) -> B`, `~(x: A) -> B`, or `A -> B` (no `param`) (§5.5). */
export interface Pi {
  readonly kind: 'Pi';
  readonly param?: Ident;
  readonly domain: Expr;
  readonly codomain: Expr;
  readonly erased: boolean;
  readonly span: Span;
}

/** `e :: T`, and `(x: T)` standing alone (§5.6). */
export interface Ann { readonly kind: 'Ann'; readonly value: Expr; readonly type: Expr; readonly span: Span }

/** `[x: A] -> B` (§5.14). */
export interface SigmaType {
  readonly kind: 'SigmaType';
  readonly param: Ident;
  readonly fst: Expr;
  readonly snd: Expr;
  readonly span: Span;
}

/** `$a b` (§5.14). */
export interface Pair { readonly kind: 'Pair'; readonly fst: Expr; readonly snd: Expr; readonly span: Span }

/** `let p = v; body` (§5.7). */
export interface Let {
  readonly kind: 'Let';
  readonly binder: Destruct;
  readonly value: Expr;
  readonly body: Expr;
  readonly span: Span;
}

/** `match T x = v with a (b: B) { cases }: Motive` (§5.8). */
export interface Match {
  readonly kind: 'Match';
  readonly typeName: QualifiedName;
  readonly scrutinee: Ident;
  readonly value?: Expr;
  readonly withVars: readonly WithVar[];
  readonly cases: readonly Case[];
  readonly motive?: Expr;
  readonly span: Span;
}

export interface WithVar { readonly name: Ident; readonly type?: Expr; readonly span: Span }

/** `ctor f (g = h) .. => body`; `ctor` is the constructor's short name (may be numeric). */
export interface Case {
  readonly ctor: Ident;
  readonly bindings: readonly FieldBinding[];
  readonly ignoreRest: boolean;
  readonly body: Expr;
  readonly span: Span;
}

/** `f` binds field `f` as `f`; `(f = g)` binds field `f` as `g` (`alias`). */
export interface FieldBinding { readonly field: Ident; readonly alias?: Ident; readonly span: Span }

/** What `let`, `ask` bind: a name, or a record constructor with field bindings (§5.7). */
export type Destruct = BindName | Destructure;
export interface BindName { readonly kind: 'BindName'; readonly name: Ident; readonly span: Span }
export interface Destructure {
  readonly kind: 'Destructure';
  readonly ctor: QualifiedName;
  readonly bindings: readonly FieldBinding[];
  readonly ignoreRest: boolean;
  readonly span: Span;
}

/** `open T x : Motive; body` (§5.9). */
export interface Open {
  readonly kind: 'Open';
  readonly typeName: QualifiedName;
  readonly name: Ident;
  readonly motive?: Expr;
  readonly body: Expr;
  readonly span: Span;
}

/** `do M { statements }` (§5.10). The last statement is a `Return` or an `ExprStatement`. */
export interface Do {
  readonly kind: 'Do';
  readonly monad: QualifiedName;
  readonly statements: readonly Statement[];
  readonly span: Span;
}

export type Statement = AskStatement | LetStatement | ExprStatement | ReturnStatement;
export interface AskStatement { readonly kind: 'Ask'; readonly binder: Destruct; readonly value: Expr; readonly span: Span }
export interface LetStatement { readonly kind: 'LetStatement'; readonly binder: Destruct; readonly value: Expr; readonly span: Span }
export interface ExprStatement { readonly kind: 'ExprStatement'; readonly value: Expr; readonly span: Span }
export interface ReturnStatement { readonly kind: 'Return'; readonly value: Expr; readonly span: Span }

/** `if c { t } else { f }` (§5.11). */
export interface If {
  readonly kind: 'If';
  readonly condition: Expr;
  readonly thenBranch: Expr;
  readonly elseBranch: Expr;
  readonly span: Span;
}

/** `_`, `_x`: a hole (a fresh variable in patterns); `text` is as written. */
export interface Hole { readonly kind: 'Hole'; readonly text: string; readonly span: Span }

/** `?name` (§5.13); `name` excludes the `?`. */
export interface Help { readonly kind: 'Help'; readonly name: string; readonly span: Span }

export type NumType = 'U60' | 'U120';

/** `42`, `0xFF`, `7u120` (§5.15), or a name literal `'Counter'` (U120, the name's number); `raw` is the literal as written. */
export interface Num { readonly kind: 'Num'; readonly numType: NumType; readonly value: bigint; readonly raw: string; readonly span: Span }

/** `3n`: a unary natural number. */
export interface Nat { readonly kind: 'Nat'; readonly value: bigint; readonly raw: string; readonly span: Span }

/** `'a'`: a character, whose value is its code point (§5.16). */
export interface Char { readonly kind: 'Char'; readonly value: number; readonly raw: string; readonly span: Span }

/** `"…"` (§5.16); `value` is decoded, `raw` includes the quotes. */
export interface Str { readonly kind: 'Str'; readonly value: string; readonly raw: string; readonly span: Span }

/** `[a, b]` or `[a b]` (§5.17). */
export interface List { readonly kind: 'List'; readonly elements: readonly Expr[]; readonly span: Span }

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>' | '<' | '<=' | '==' | '>=' | '>' | '!=';

/** `(op a b)` (§5.15). */
export interface BinOp { readonly kind: 'BinOp'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr; readonly span: Span }

/** `!R x .f .g`, `… = v`, `… @= f` (§5.18). */
export interface FieldPath {
  readonly kind: 'FieldPath';
  readonly record: Expr;
  readonly value: Expr;
  readonly fields: readonly Ident[];
  readonly update?: { readonly kind: 'set' | 'mut'; readonly value: Expr };
  readonly span: Span;
}

/** `specialize x into #k in e` (§5.19). */
export interface Specialize {
  readonly kind: 'Specialize';
  readonly name: Ident;
  readonly index: number;
  readonly body: Expr;
  readonly span: Span;
}

// ─── Patterns (§3.3) ─────────────────────────────────────────────────────────

export type Pattern = VarPattern | HolePattern | CtorPattern | NumPattern | CharPattern | StrPattern;
export interface VarPattern { readonly kind: 'VarPattern'; readonly name: string; readonly span: Span }
export interface HolePattern { readonly kind: 'HolePattern'; readonly text: string; readonly span: Span }
export interface CtorPattern { readonly kind: 'CtorPattern'; readonly name: QualifiedName; readonly args: readonly Pattern[]; readonly span: Span }
export interface NumPattern { readonly kind: 'NumPattern'; readonly numType: NumType; readonly value: bigint; readonly raw: string; readonly span: Span }
export interface CharPattern { readonly kind: 'CharPattern'; readonly value: number; readonly raw: string; readonly span: Span }
export interface StrPattern { readonly kind: 'StrPattern'; readonly value: string; readonly raw: string; readonly span: Span }

// ─── Top level (§3.1, §4) ────────────────────────────────────────────────────

export type AttributeValue =
  | { readonly kind: 'IdentValue'; readonly name: string; readonly span: Span }
  | { readonly kind: 'NumberValue'; readonly value: bigint; readonly raw: string; readonly span: Span }
  | { readonly kind: 'StringValue'; readonly value: string; readonly raw: string; readonly span: Span }
  | { readonly kind: 'ListValue'; readonly items: readonly AttributeValue[]; readonly span: Span };

/** `#name`, `#name[args]`, `#name = value` (§4.7). `args` is absent without brackets. */
export interface Attribute {
  readonly name: Ident;
  readonly args?: readonly AttributeValue[];
  readonly value?: AttributeValue;
  readonly span: Span;
}

/** A `//!` line; `text` is what follows the marker. */
export interface DocComment { readonly text: string; readonly span: Span }

/** An ordinary line or block comment, kept for the formatter; `text` includes the delimiters. */
export interface Comment { readonly text: string; readonly block: boolean; readonly span: Span }

/** `(x: A)`, `<x: A>`, `-(x: A)`, `+<x: A>` (§4.2). An absent `type` means `Type`. */
export interface Argument {
  readonly name: Ident;
  readonly type?: Expr;
  readonly hidden: boolean;
  readonly erased: boolean;
  readonly span: Span;
}

/** `Name p1 … pn = body` (§4.3). */
export interface Rule {
  readonly name: QualifiedName;
  readonly patterns: readonly Pattern[];
  readonly body: Expr;
  readonly span: Span;
}

/** Why an entry exists when it is not a definition written in the file. */
export type EntryOrigin =
  | { readonly kind: 'type'; readonly decl: TypeDecl | RecordDecl }
  | { readonly kind: 'constructor'; readonly decl: TypeDecl | RecordDecl; readonly ctor?: Constructor }
  | { readonly kind: 'derived'; readonly derivation: Derivation; readonly decl: TypeDecl | RecordDecl; readonly attribute: Attribute };

export type Derivation = 'match' | 'getters' | 'setters' | 'mutters';

/**
 * A typed definition (§4.1): `Name args : Type` followed by a `{ body }` (the short form,
 * `body`) and/or equational `rules`. `type` absent means a hole. Rule-less definitions are
 * constructors or postulates (§4.4). `origin` is set on entries the front end generated.
 */
export interface Definition {
  readonly kind: 'Definition';
  readonly name: QualifiedName;
  readonly args: readonly Argument[];
  readonly type?: Expr;
  readonly body?: Expr;
  readonly rules: readonly Rule[];
  readonly attributes: readonly Attribute[];
  readonly docs: readonly DocComment[];
  readonly span: Span;
  readonly origin?: EntryOrigin;
}

/** `type Name params ~ indices { constructors }` (§4.5). `indices` is absent without `~`. */
export interface TypeDecl {
  readonly kind: 'TypeDecl';
  readonly name: QualifiedName;
  readonly params: readonly Argument[];
  readonly indices?: readonly Argument[];
  readonly constructors: readonly Constructor[];
  readonly attributes: readonly Attribute[];
  readonly docs: readonly DocComment[];
  readonly span: Span;
}

/** One constructor line of a `type`; `name` is its short name (lower, upper or numeric). */
export interface Constructor {
  readonly name: Ident;
  readonly args: readonly Argument[];
  readonly type?: Expr;
  readonly attributes: readonly Attribute[];
  readonly docs: readonly DocComment[];
  readonly span: Span;
}

/**
 * `record Name params { #attrs constructor c, fields }` (§4.6). `constructorName` is absent
 * when the default `new` is used; `constructorAttributes` are those written after `{`.
 */
export interface RecordDecl {
  readonly kind: 'RecordDecl';
  readonly name: QualifiedName;
  readonly params: readonly Argument[];
  readonly constructorName?: Ident;
  readonly constructorAttributes: readonly Attribute[];
  readonly fields: readonly Field[];
  readonly attributes: readonly Attribute[];
  readonly docs: readonly DocComment[];
  readonly span: Span;
}

export interface Field { readonly name: Ident; readonly type: Expr; readonly docs: readonly DocComment[]; readonly span: Span }

export type Item = Definition | TypeDecl | RecordDecl;

/** `use Some.Prefix as P` (§1.3). */
export interface UseDecl { readonly target: Ident; readonly alias: Ident; readonly span: Span }

/** One parsed file. `items` holds what parsed; the diagnostics say what did not. */
export interface SourceFile {
  readonly kind: 'SourceFile';
  readonly file: string;
  readonly uses: readonly UseDecl[];
  readonly items: readonly Item[];
  readonly comments: readonly Comment[];
  readonly span: Span;
}

/** The constructor name a record uses (`new` unless written). */
export function recordConstructorName(decl: RecordDecl): string {
  return decl.constructorName?.name ?? 'new';
}
