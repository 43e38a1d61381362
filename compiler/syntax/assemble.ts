/**
 * Assembling pieces into items, as they arrive in source order: attributes join the next
 * item, rules join the definition above them, `use` lines must come first. Items are handed
 * out once complete (a definition when something other than its own rules follows), so a
 * file can be parsed and used one part at a time.
 */
import type { IToken } from 'chevrotain';
import type { Attribute, Definition, DocComment, Item, Rule, UseDecl } from './ast.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Piece } from './grammar.js';
import { spanBetween, type Span } from './span.js';

/** A piece that did not parse: where it starts and, if known, the name it was defining. */
export type Failed = { readonly kind: 'failed'; readonly start: IToken; readonly name?: string };
export type Step = Piece | Failed;

type MutableDefinition = { -readonly [K in keyof Definition]: Definition[K] };
type Attributed = { attributes: readonly Attribute[]; docs: readonly DocComment[]; span: Span };

export class Assembler {
  /** Items and uses complete and not yet taken, in source order. */
  private done: (UseDecl | Item)[] = [];
  private pending: { attribute: Attribute; start: IToken }[] = [];
  private current: MutableDefinition | undefined;
  private broken: string | undefined;
  private seenItem = false;
  private readonly incompleteNames = new Set<string>();
  /** Names of definitions whose first line failed to parse, in order. */
  readonly incomplete: string[] = [];
  /** Start offsets of items (and of their attributes) → the list their `//!` comments join. */
  readonly docAnchors = new Map<number, DocComment[]>();
  /** Start offsets of pieces that failed: `//!` comments before them are not reported. */
  readonly docSinks = new Set<number>();

  constructor(private readonly diagnostics: Diagnostic[]) {}

  /** Start offsets of attributes still waiting for their item (their `//!` comments wait too). */
  pendingStarts(): Set<number> {
    return new Set(this.pending.map((p) => p.start.startOffset));
  }

  /** The uses and items completed since the last call. */
  take(): (UseDecl | Item)[] {
    const out = this.done;
    this.done = [];
    return out;
  }

  /** No more pieces: attributes left over are reported, the last definition is complete. */
  finish(): void {
    this.strayAttributes();
    this.complete();
  }

  private complete(): void {
    if (this.current !== undefined) this.done.push(this.current);
    this.current = undefined;
  }

  private strayAttributes(): void {
    for (const p of this.pending) {
      this.diagnostics.push(diagnostic('KD0113', p.attribute.span, `attribute \`#${p.attribute.name.name}\` is not followed by a definition, \`type\` or \`record\``));
    }
    this.pending = [];
  }

  private takeAttributes(item: Attributed, start: IToken): void {
    const docs = item.docs as DocComment[];
    for (const p of this.pending) this.docAnchors.set(p.start.startOffset, docs);
    this.docAnchors.set(start.startOffset, docs);
    (item as { attributes: readonly Attribute[] }).attributes = this.pending.map((p) => p.attribute);
    if (this.pending.length > 0) (item as { span: Span }).span = spanBetween(this.pending[0]!.attribute.span, item.span);
    this.pending = [];
  }

  push(step: Step): void {
    switch (step.kind) {
      case 'use':
        this.strayAttributes();
        if (this.seenItem) {
          this.diagnostics.push(diagnostic('KD0106', step.decl.span, '`use` lines must come before every definition of the file'));
        }
        this.complete();
        this.done.push(step.decl);
        break;
      case 'attribute':
        this.pending.push({ attribute: step.attribute, start: step.start });
        break;
      case 'item':
        this.complete();
        this.takeAttributes(step.item, step.start);
        this.done.push(step.item);
        this.broken = undefined;
        this.seenItem = true;
        break;
      case 'head': {
        this.complete();
        const def = step.head as MutableDefinition;
        this.takeAttributes(def, step.start);
        this.current = def;
        this.broken = undefined;
        this.seenItem = true;
        break;
      }
      case 'rule':
        this.rule(step.rule);
        break;
      case 'failed':
        for (const p of this.pending) this.docSinks.add(p.start.startOffset);
        this.pending = [];
        this.docSinks.add(step.start.startOffset);
        if (step.name !== undefined && this.current !== undefined && this.current.name.name === step.name) break;
        this.complete();
        this.broken = step.name;
        if (step.name !== undefined && !this.incompleteNames.has(step.name)) {
          this.incompleteNames.add(step.name);
          this.incomplete.push(step.name);
        }
        break;
    }
  }

  private rule(rule: Rule): void {
    this.strayAttributes();
    this.seenItem = true;
    const current = this.current;
    if (current !== undefined && current.name.name === rule.name.name) {
      (current.rules as Rule[]).push(rule);
      current.span = spanBetween(current.span, rule.span);
    } else if (this.broken !== undefined && this.broken === rule.name.name) {
      // The definition's first line did not parse; its rules would only repeat that error.
    } else if (current !== undefined) {
      this.diagnostics.push(diagnostic('KD0104', rule.name.span,
        `this rule is for \`${rule.name.name}\`, but the definition above it is \`${current.name.name}\``,
        { related: [{ message: `\`${current.name.name}\` is defined here`, span: current.name.span }], hint: `a rule repeats the name of the definition it belongs to; give \`${rule.name.name}\` its own first line (\`${rule.name.name} args : Type\`)` }));
    } else {
      this.diagnostics.push(diagnostic('KD0105', rule.name.span,
        `this rule for \`${rule.name.name}\` has no definition line (\`${rule.name.name} args : Type\`) right above it`));
    }
  }
}
