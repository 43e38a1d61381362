/** What elaboration reads of the program besides signatures and rules: the surface entries. */
import type { Definition, RecordDecl, TypeDecl } from '../syntax/index.js';
import type { Globals } from './globals.js';

export interface ProgramView extends Globals {
  /** The surface entry called `name` (definitions, constructors, derived functions). */
  entry(name: string): Definition | undefined;
  /** The `type` or `record` declaration of the type called `name`. */
  typeDecl(name: string): TypeDecl | RecordDecl | undefined;
}
